import { asObject as object, type KubernetesObject } from './kubernetes-objects';

export interface NamespaceIsolation {
  namespace: string;
  workloads: number;
  networkPolicies: number;
  /** A policy selects every pod (`podSelector: {}`) for Ingress and allows none: traffic in is denied by default. */
  defaultDenyIngress: boolean;
  /** The same for Egress. */
  defaultDenyEgress: boolean;
}

function empty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** Whether a NetworkPolicy denies a direction for every pod of its namespace (Kubernetes' "default deny" pattern). */
function deniesAll(policy: KubernetesObject, direction: 'Ingress' | 'Egress'): boolean {
  const spec = object(policy.body['spec']);
  const selectsAllPods = Object.keys(object(spec['podSelector'])).length === 0;
  // Without policyTypes a policy is for Ingress, and for Egress only when it has egress rules.
  const types = Array.isArray(spec['policyTypes'])
    ? (spec['policyTypes'] as unknown[])
    : ['Ingress', ...(spec['egress'] !== undefined ? ['Egress'] : [])];
  const rules = spec[direction === 'Ingress' ? 'ingress' : 'egress'];
  return selectsAllPods && types.includes(direction) && empty(rules);
}

/**
 * Network isolation of every namespace the manifests mention (by a workload, a Namespace object or a policy): a
 * namespace with workloads and no NetworkPolicy lets every pod talk to every other pod in the cluster.
 */
export function namespaceIsolation(
  objects: readonly KubernetesObject[],
  workloads: readonly KubernetesObject[],
): NamespaceIsolation[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const namespaces = new Set([
    ...objects.filter((o) => o.kind === 'Namespace').map((o) => o.name),
    ...[...workloads, ...policies].map((o) => o.namespace),
  ]);
  return [...namespaces].sort().map((namespace) => {
    const inNamespace = policies.filter((policy) => policy.namespace === namespace);
    return {
      namespace,
      workloads: workloads.filter((workload) => workload.namespace === namespace).length,
      networkPolicies: inNamespace.length,
      defaultDenyIngress: inNamespace.some((policy) => deniesAll(policy, 'Ingress')),
      defaultDenyEgress: inNamespace.some((policy) => deniesAll(policy, 'Egress')),
    };
  });
}
