import { resolveAllowedPath } from '../allowed-paths';
import type { Collector, CollectorContext, Fact } from '../collector';
import { jsonFactsSnapshot } from '../snapshot';
import { KUBERNETES_FACT_MODEL } from './kubernetes-fact-model';
import { parseManifest, type KubernetesObject, type ManifestParseError } from './kubernetes-objects';
import { readManifestFiles } from './manifest-files';
import { namespaceIsolation } from './network-policies';
import { containerSecurity, WORKLOAD_KINDS } from './workload-security';

export interface KubernetesManifestsConfig {
  path: string;
}

/**
 * Pod security and network isolation as declared in Kubernetes manifests or rendered Helm output (`helm template`)
 * in a directory: what the cluster will run, read before it runs. Reads files only; no cluster access.
 */
export const kubernetesManifestsCollector: Collector<KubernetesManifestsConfig> = {
  id: 'kubernetes-manifests',
  version: '1.0.0',
  title: 'Kubernetes manifests security',
  configSchema: {
    type: 'object',
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description:
          'Absolute path of a manifest directory or file (e.g. `helm template` output) under an allowed path',
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  serves: {
    catalogControlIds: ['OPS-07', 'NET-02', 'SDL-05'],
    testIds: ['cis-benchmark-compliance'],
  },
  factModel: KUBERNETES_FACT_MODEL,
  async collect(config: KubernetesManifestsConfig, ctx: CollectorContext) {
    const root = await resolveAllowedPath(config.path, ctx);
    const listing = await readManifestFiles(root);
    const objects: KubernetesObject[] = [];
    const parseErrors: ManifestParseError[] = [];
    for (const { file, text } of listing.files) {
      const parsed = parseManifest(file, text);
      objects.push(...parsed.objects);
      parseErrors.push(...parsed.errors);
    }
    const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
    const containers = (await Promise.all(workloads.map(containerSecurity))).flat();
    const facts: Fact[] = [
      {
        resourceType: 'kubernetes.manifest-set',
        resourceId: root,
        attributes: {
          files: listing.files.length,
          objects: objects.length,
          workloads: workloads.length,
          containers: containers.length,
          parseErrors,
          skippedTooLarge: listing.skippedTooLarge,
        },
      },
      ...containers.map((c) => ({
        resourceType: 'kubernetes.container',
        resourceId: `${c.namespace}/${c.kind}/${c.workload}/${c.container}`,
        attributes: { ...c },
      })),
      ...namespaceIsolation(objects, workloads).map(({ namespace, ...attributes }) => ({
        resourceType: 'kubernetes.namespace',
        resourceId: namespace,
        attributes,
      })),
    ];
    return {
      facts,
      snapshots: [
        jsonFactsSnapshot(kubernetesManifestsCollector, {
          title: `Kubernetes manifests security of ${root}`,
          subject: root,
          facts,
          now: ctx.now,
        }),
      ],
    };
  },
};
