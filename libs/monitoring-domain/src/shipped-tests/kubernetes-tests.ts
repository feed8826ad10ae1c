import type { ResourceFact } from '../monitoring-events';
import { anotherResource, withAttributes, type ShippedTest } from './shipped-test';

// Facts of the `kubernetes-manifests` collector (fact model in libs/collectors/README.md), for a hardened workload.
const MANIFESTS = '/srv/deploy/payments/rendered';

const container: ResourceFact = {
  resourceType: 'kubernetes.container',
  resourceId: 'payments/Deployment/payments-api/api',
  attributes: {
    file: 'deployment.yaml',
    namespace: 'payments',
    kind: 'Deployment',
    workload: 'payments-api',
    container: 'api',
    containerType: 'container',
    image:
      'registry.example.com/payments-api@sha256:5d2c7e0f4b1a9c3e8d6f2a4b7c9e1d3f5a7b9c2e4d6f8a0b1c3e5d7f9a2b4c6e',
    imagePinnedByDigest: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    cpuLimit: '500m',
    memoryLimit: '512Mi',
    resourceLimitsSet: true,
    plainEnvSecrets: [],
    secretRefs: 2,
  },
};

const namespace: ResourceFact = {
  resourceType: 'kubernetes.namespace',
  resourceId: 'payments',
  attributes: { workloads: 3, networkPolicies: 2, defaultDenyIngress: true, defaultDenyEgress: true },
};

const manifestSet: ResourceFact = {
  resourceType: 'kubernetes.manifest-set',
  resourceId: MANIFESTS,
  attributes: { files: 7, objects: 14, workloads: 3, containers: 4, parseErrors: [], skippedTooLarge: [] },
};

/** Pod security settings of the CIS Kubernetes benchmark (5.2.x): each implements the catalog's CIS test. */
const cis = { catalogControlIds: ['OPS-07'], controlIds: [] };
const controls = (...catalogControlIds: string[]) => ({ catalogControlIds, controlIds: [] });
const CONTAINER_DETAILS = '{"file": resource.attributes.file, "workload": resource.attributes.workload}';

export const KUBERNETES_TESTS: readonly ShippedTest[] = [
  {
    testId: 'k8s-containers-run-as-non-root',
    title: 'Containers run as a non-root user',
    description: 'runAsNonRoot is true or runAsUser is not 0, for the container or its pod.',
    factTypes: ['kubernetes.container'],
    condition: 'resource.attributes.runAsNonRoot == true',
    details: CONTAINER_DETAILS,
    severity: 'high',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation:
      'Set securityContext.runAsNonRoot: true and a non-zero runAsUser; build the image with a USER.',
    fixtures: { pass: container, fail: withAttributes(container, { runAsNonRoot: false, runAsUser: null }) },
  },
  {
    testId: 'k8s-containers-not-privileged',
    title: 'No container is privileged',
    description: 'securityContext.privileged is not set: a privileged container has root on the node.',
    factTypes: ['kubernetes.container'],
    condition: '!resource.attributes.privileged',
    details: CONTAINER_DETAILS,
    severity: 'critical',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation:
      'Remove privileged: true; grant only the capabilities the container needs (securityContext.capabilities.add).',
    fixtures: {
      pass: container,
      fail: withAttributes(container, { privileged: true, allowPrivilegeEscalation: true }),
    },
  },
  {
    testId: 'k8s-privilege-escalation-disallowed',
    title: 'Containers cannot gain privileges',
    description:
      'allowPrivilegeEscalation is false, so setuid binaries cannot raise a process above its user.',
    factTypes: ['kubernetes.container'],
    condition: '!resource.attributes.allowPrivilegeEscalation',
    details: CONTAINER_DETAILS,
    severity: 'high',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on the container.',
    fixtures: { pass: container, fail: withAttributes(container, { allowPrivilegeEscalation: true }) },
  },
  {
    testId: 'k8s-read-only-root-filesystem',
    title: 'Container filesystems are read-only',
    description: 'readOnlyRootFilesystem is true: an intruder cannot drop tools into the image.',
    factTypes: ['kubernetes.container'],
    condition: 'resource.attributes.readOnlyRootFilesystem == true',
    details: CONTAINER_DETAILS,
    severity: 'medium',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation:
      'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes.',
    fixtures: { pass: container, fail: withAttributes(container, { readOnlyRootFilesystem: false }) },
  },
  {
    testId: 'k8s-resource-limits-set',
    title: 'Containers have CPU and memory limits',
    description: 'Both limits are set, so one workload cannot starve the others on its node.',
    factTypes: ['kubernetes.container'],
    condition: 'resource.attributes.resourceLimitsSet == true',
    details:
      '{"workload": resource.attributes.workload, "cpu": resource.attributes.cpuLimit, "memory": resource.attributes.memoryLimit}',
    severity: 'medium',
    controls: cis,
    remediation: 'Set resources.limits.cpu and resources.limits.memory (or a LimitRange in the namespace).',
    fixtures: {
      pass: container,
      fail: withAttributes(container, { memoryLimit: null, resourceLimitsSet: false }),
    },
  },
  {
    testId: 'k8s-images-pinned-by-digest',
    title: 'Images are pinned by digest',
    description:
      'Each image ends in @sha256:<digest>, so what runs is exactly what was scanned and approved.',
    factTypes: ['kubernetes.container'],
    condition: 'resource.attributes.imagePinnedByDigest == true',
    details: '{"image": resource.attributes.image}',
    severity: 'medium',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation:
      'Reference the image by digest (image: repo@sha256:...), e.g. resolved by the release pipeline.',
    fixtures: {
      pass: container,
      fail: withAttributes(container, {
        image: 'registry.example.com/payments-api:latest',
        imagePinnedByDigest: false,
      }),
    },
  },
  {
    testId: 'k8s-no-plain-text-secrets-in-env',
    title: 'No secret is written into a manifest',
    description:
      'No env value looks like a secret (by its name or a secret pattern); secrets come from Secrets.',
    factTypes: ['kubernetes.container'],
    condition: 'size(resource.attributes.plainEnvSecrets) == 0',
    details:
      '{"workload": resource.attributes.workload, "variables": resource.attributes.plainEnvSecrets.map(s, s.name)}',
    severity: 'critical',
    controls: controls('SDL-05'),
    remediation:
      'Rotate the value, store it in a Secret (or an external secret store) and use valueFrom.secretKeyRef.',
    fixtures: {
      pass: container,
      fail: withAttributes(container, { plainEnvSecrets: [{ name: 'DATABASE_PASSWORD', reason: 'name' }] }),
    },
  },
  {
    testId: 'k8s-workloads-not-in-default-namespace',
    title: 'Workloads have their own namespace',
    description: 'No workload runs in the default namespace, where policies and quotas are rarely set.',
    factTypes: ['kubernetes.container'],
    condition: 'resource.attributes.namespace != "default"',
    details: CONTAINER_DETAILS,
    severity: 'low',
    controls: controls('NET-02'),
    remediation:
      'Set metadata.namespace on the workload (and create the namespace with its network policies).',
    fixtures: {
      pass: container,
      fail: anotherResource(container, 'default/Deployment/payments-api/api', { namespace: 'default' }),
    },
  },
  {
    testId: 'k8s-namespace-default-deny-ingress',
    title: 'Namespaces deny inbound traffic by default',
    description:
      'Each namespace with workloads has a NetworkPolicy selecting every pod for Ingress and allowing none.',
    factTypes: ['kubernetes.namespace'],
    applies: 'resource.attributes.workloads > 0',
    condition: 'resource.attributes.defaultDenyIngress == true',
    details: '{"networkPolicies": resource.attributes.networkPolicies}',
    severity: 'medium',
    controls: controls('NET-02'),
    remediation:
      'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress], then allow the flows needed.',
    fixtures: {
      pass: namespace,
      fail: withAttributes(namespace, {
        networkPolicies: 0,
        defaultDenyIngress: false,
        defaultDenyEgress: false,
      }),
    },
  },
  {
    testId: 'k8s-namespace-default-deny-egress',
    title: 'Namespaces deny outbound traffic by default',
    description:
      'Each namespace with workloads has a NetworkPolicy selecting every pod for Egress and allowing none.',
    factTypes: ['kubernetes.namespace'],
    applies: 'resource.attributes.workloads > 0',
    condition: 'resource.attributes.defaultDenyEgress == true',
    details: '{"networkPolicies": resource.attributes.networkPolicies}',
    severity: 'low',
    controls: controls('NET-02'),
    remediation:
      'Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress], then allow DNS and the flows needed.',
    fixtures: { pass: namespace, fail: withAttributes(namespace, { defaultDenyEgress: false }) },
  },
  {
    testId: 'k8s-manifests-all-parsed',
    title: 'Every manifest could be read',
    description: 'No manifest failed to parse or was too large, so the container tests saw every workload.',
    factTypes: ['kubernetes.manifest-set'],
    condition: 'size(resource.attributes.parseErrors) == 0 && size(resource.attributes.skippedTooLarge) == 0',
    details:
      '{"parseErrors": resource.attributes.parseErrors, "skippedTooLarge": resource.attributes.skippedTooLarge}',
    severity: 'low',
    controls: cis,
    remediation:
      'Render templates (helm template) before collection and fix or split the files named in the details.',
    fixtures: {
      pass: manifestSet,
      fail: withAttributes(manifestSet, {
        files: 8,
        parseErrors: [{ file: 'templates/ingress.yaml', message: 'BAD_INDENT at line 12, column 3' }],
      }),
    },
  },
];
