import type { FactModelEntry } from '../collector';

/** What the Kubernetes manifests collector reports. Mirrored in the lib's README. */
export const KUBERNETES_FACT_MODEL: FactModelEntry[] = [
  {
    resourceType: 'kubernetes.manifest-set',
    description: 'One per run (the real path read): what was parsed and what could not be',
    attributes: {
      files: 'number of .yaml/.yml/.json files read',
      objects: 'number of Kubernetes objects found (List items expanded)',
      workloads:
        'number of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs',
      containers: 'number of containers in them (init and ephemeral included)',
      parseErrors:
        '{ file, message }[]: documents that are not valid YAML (e.g. an unrendered Helm template)',
      skippedTooLarge: 'string[]: files over 5 MiB, not read',
    },
  },
  {
    resourceType: 'kubernetes.container',
    description:
      'One per container of every workload (`<namespace>/<kind>/<workload>/<container>`), settings as the kubelet applies them',
    attributes: {
      file: 'manifest file, relative to the configured path',
      namespace: 'metadata.namespace, "default" when the manifest names none',
      kind: 'workload kind, e.g. "Deployment"',
      workload: 'workload name',
      container: 'container name',
      containerType: '"container" | "init" | "ephemeral"',
      image: 'image reference, null when missing',
      imagePinnedByDigest: 'boolean: the image ends in @sha256:<digest>, so what runs is what was scanned',
      runAsNonRoot:
        'boolean: runAsNonRoot true or a non-zero runAsUser (container, else pod); false for runAsUser 0',
      runAsUser: 'number | null: effective runAsUser',
      privileged: 'boolean: securityContext.privileged',
      allowPrivilegeEscalation:
        'boolean: true unless set to false (Kubernetes default), always true when privileged',
      readOnlyRootFilesystem: 'boolean',
      cpuLimit: 'resources.limits.cpu, null when unset',
      memoryLimit: 'resources.limits.memory, null when unset',
      resourceLimitsSet: 'boolean: both cpu and memory limits set',
      plainEnvSecrets:
        '{ name, reason }[]: env values given in plain text that look secret, by name ("name") or by a secretlint rule (its id); values are never reported',
      secretRefs: 'number of env / envFrom entries taken from a Secret (secretKeyRef, secretRef)',
    },
  },
  {
    resourceType: 'kubernetes.namespace',
    description:
      'One per namespace with a workload, a Namespace object or a NetworkPolicy (the namespace name)',
    attributes: {
      workloads: 'number of workloads in it',
      networkPolicies: 'number of NetworkPolicies in it',
      defaultDenyIngress: 'boolean: a policy selects all pods for Ingress and allows none',
      defaultDenyEgress: 'boolean: the same for Egress',
    },
  },
];
