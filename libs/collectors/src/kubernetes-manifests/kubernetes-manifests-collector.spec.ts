import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CollectorConfigError, type Fact } from '../collector';
import { kubernetesManifestsCollector as collector } from './kubernetes-manifests-collector';

const DIGEST = 'a'.repeat(64);
// Assembled at run time so this file is not itself a finding for a secret scanner.
const PLAIN_TOKEN = ['tok', 'en-', '7f3a9c21e5'].join('');
const CONNECTION_STRING = ['postgres://admin:', 'Sup3rS3cretPw', '@db.internal:5432/app'].join('');

/** Namespace "shop": a hardened Deployment with a root init container, and a default-deny ingress policy. */
const SHOP = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      initContainers:
        - name: migrate
          image: registry.example/migrate:latest
          securityContext:
            runAsUser: 0
      containers:
        - name: web
          image: registry.example/web@sha256:${DIGEST}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          resources:
            limits: { cpu: 500m, memory: 256Mi }
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: db, key: password }
          envFrom:
            - secretRef: { name: web-env }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

/** `helm template` output: no namespaces, a privileged DaemonSet with secrets in plain env. */
const RENDERED = `---
# Source: agent/templates/daemonset.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: registry.example/agent:2.1
          securityContext:
            privileged: true
          resources:
            limits: { memory: 128Mi }
          env:
            - name: API_TOKEN
              value: ${PLAIN_TOKEN}
            - name: UPSTREAM
              value: ${CONNECTION_STRING}
            - name: LOG_LEVEL
              value: debug
`;

/** `kubectl get -o json` output: a List holding a CronJob in "batch" and a Service. */
const LIST = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'batch' },
      spec: {
        jobTemplate: {
          spec: {
            template: { spec: { containers: [{ name: 'report', image: 'registry.example/report:1' }] } },
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'report', namespace: 'batch' } },
  ],
});

function byType(facts: Fact[], resourceType: string): Map<string, Fact['attributes']> {
  return new Map(
    facts.filter((f) => f.resourceType === resourceType).map((f) => [f.resourceId, f.attributes]),
  );
}

describe('kubernetes-manifests collector', () => {
  let root: string;
  let manifests: string;
  const ctx = () => ({ now: new Date('2026-11-30T10:00:00Z'), allowedPaths: [manifests] });

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'attest-k8s-collector-'));
    manifests = path.join(root, 'manifests');
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(manifests, file)), { recursive: true });
      writeFileSync(path.join(manifests, file), text);
    };
    write('apps/shop.yaml', SHOP);
    write('rendered/agent.yml', RENDERED);
    write('list.json', LIST);
    write('charts/agent/values.yaml', 'replicaCount: 2\n');
    write(
      'charts/agent/templates/configmap.yaml',
      '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n',
    );
    // Never read: a hidden directory, and a link leading out of the allowed path.
    write(
      '.cache/pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: hidden }\nspec: { containers: [{ name: x }] }\n',
    );
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(
      path.join(root, 'outside', 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: { name: outside }\n',
    );
    symlinkSync(path.join(root, 'outside'), path.join(manifests, 'linked'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports the effective security settings of every container', async () => {
    const containers = byType(
      (await collector.collect({ path: manifests }, ctx())).facts,
      'kubernetes.container',
    );

    expect([...containers.keys()].sort()).toEqual([
      'batch/CronJob/report/report',
      'default/DaemonSet/agent/agent',
      'shop/Deployment/web/migrate',
      'shop/Deployment/web/web',
    ]);
    expect(containers.get('shop/Deployment/web/web')).toEqual({
      file: 'apps/shop.yaml',
      namespace: 'shop',
      kind: 'Deployment',
      workload: 'web',
      container: 'web',
      containerType: 'container',
      image: `registry.example/web@sha256:${DIGEST}`,
      imagePinnedByDigest: true,
      runAsNonRoot: true,
      runAsUser: null,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      cpuLimit: '500m',
      memoryLimit: '256Mi',
      resourceLimitsSet: true,
      plainEnvSecrets: [],
      secretRefs: 2,
    });
    // The container's runAsUser 0 overrides the pod's runAsNonRoot.
    expect(containers.get('shop/Deployment/web/migrate')).toMatchObject({
      containerType: 'init',
      runAsNonRoot: false,
      runAsUser: 0,
      imagePinnedByDigest: false,
      allowPrivilegeEscalation: true,
      resourceLimitsSet: false,
    });
    expect(containers.get('default/DaemonSet/agent/agent')).toMatchObject({
      file: 'rendered/agent.yml',
      privileged: true,
      allowPrivilegeEscalation: true,
      runAsNonRoot: false,
      cpuLimit: null,
      memoryLimit: '128Mi',
      resourceLimitsSet: false,
      plainEnvSecrets: [
        { name: 'API_TOKEN', reason: 'name' },
        { name: 'UPSTREAM', reason: '@secretlint/secretlint-rule-database-connection-string' },
      ],
      secretRefs: 0,
    });
    expect(containers.get('batch/CronJob/report/report')).toMatchObject({
      file: 'list.json',
      runAsNonRoot: false,
    });
  });

  it('reports network isolation per namespace', async () => {
    const namespaces = byType(
      (await collector.collect({ path: manifests }, ctx())).facts,
      'kubernetes.namespace',
    );

    expect(Object.fromEntries(namespaces)).toEqual({
      batch: { workloads: 1, networkPolicies: 0, defaultDenyIngress: false, defaultDenyEgress: false },
      default: { workloads: 1, networkPolicies: 0, defaultDenyIngress: false, defaultDenyEgress: false },
      shop: { workloads: 1, networkPolicies: 1, defaultDenyIngress: true, defaultDenyEgress: false },
    });
  });

  it('names unparseable templates without quoting them, and never copies a secret value into the evidence', async () => {
    const result = await collector.collect({ path: manifests }, ctx());

    const [summary] = byType(result.facts, 'kubernetes.manifest-set').values();
    expect(summary).toMatchObject({ files: 5, objects: 6, workloads: 3, containers: 4, skippedTooLarge: [] });
    expect(summary['parseErrors']).toEqual([
      {
        file: 'charts/agent/templates/configmap.yaml',
        message: expect.stringMatching(/^[A-Z_]+ at line 1, column \d+$/),
      },
    ]);
    const evidence = result.snapshots[0].content.toString('utf8');
    expect(evidence).not.toContain(PLAIN_TOKEN);
    expect(evidence).not.toContain('Sup3rS3cretPw');
    expect(result.snapshots[0]).toMatchObject({
      evidenceType: 'config-snapshot',
      period: { from: '2026-11-30', to: '2026-11-30' },
      catalogControlIds: ['OPS-07', 'NET-02', 'SDL-05'],
    });
  });

  it('reads a single rendered file', async () => {
    const result = await collector.collect({ path: path.join(manifests, 'rendered', 'agent.yml') }, ctx());

    expect([...byType(result.facts, 'kubernetes.container').keys()]).toEqual([
      'default/DaemonSet/agent/agent',
    ]);
  });

  it('refuses a path outside the allowed ones', async () => {
    await expect(collector.collect({ path: path.join(root, 'outside') }, ctx())).rejects.toThrow(
      CollectorConfigError,
    );
    await expect(collector.collect({ path: path.join(manifests, 'linked') }, ctx())).rejects.toThrow(
      CollectorConfigError,
    );
  });
});
