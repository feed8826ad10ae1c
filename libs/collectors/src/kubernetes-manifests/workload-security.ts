import { detectSecrets } from '../secret-detection/secret-detector';
import {
  asObject as object,
  asObjectArray as array,
  type Json,
  type KubernetesObject,
} from './kubernetes-objects';

/** Where each workload kind keeps its pod template. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);

export function podSpecOf(workload: KubernetesObject): Json | null {
  const path = POD_SPEC_PATHS[workload.kind];
  if (!path) return null;
  return path.reduce<Json>((at, key) => object(at[key]), workload.body);
}

const CONTAINER_LISTS = {
  containers: 'container',
  initContainers: 'init',
  ephemeralContainers: 'ephemeral',
} as const;

/** An environment variable whose name says it holds a secret (a heuristic for values no detector rule knows). */
const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;

export interface PlainEnvSecret {
  /** The variable's name (the value is never reported). */
  name: string;
  /** "name" when the name says secret, else the secretlint rule that recognised the value. */
  reason: string;
}

export interface ContainerSecurity {
  file: string;
  namespace: string;
  kind: string;
  workload: string;
  container: string;
  containerType: (typeof CONTAINER_LISTS)[keyof typeof CONTAINER_LISTS];
  image: string | null;
  imagePinnedByDigest: boolean;
  runAsNonRoot: boolean;
  runAsUser: number | null;
  privileged: boolean;
  allowPrivilegeEscalation: boolean;
  readOnlyRootFilesystem: boolean;
  cpuLimit: string | null;
  memoryLimit: string | null;
  resourceLimitsSet: boolean;
  plainEnvSecrets: PlainEnvSecret[];
  secretRefs: number;
}

function quantity(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

async function plainEnvSecrets(env: Json[], where: string): Promise<PlainEnvSecret[]> {
  const found: PlainEnvSecret[] = [];
  for (const variable of env) {
    const name = typeof variable['name'] === 'string' ? variable['name'] : '';
    const value = variable['value'];
    if (typeof value !== 'string' || value === '') continue;
    if (SECRET_ENV_NAME.test(name)) {
      found.push({ name, reason: 'name' });
      continue;
    }
    const [finding] = await detectSecrets(`${name}=${value}\n`, where);
    if (finding) found.push({ name, reason: finding.ruleId });
  }
  return found;
}

/**
 * The effective security settings of every container of a workload, as the kubelet would apply them: a container's
 * securityContext overrides the pod's for the user settings; privilege escalation is allowed unless turned off (and
 * always for a privileged container); running as user 0 is root whatever runAsNonRoot says.
 */
export async function containerSecurity(workload: KubernetesObject): Promise<ContainerSecurity[]> {
  const podSpec = podSpecOf(workload);
  if (!podSpec) return [];
  const podContext = object(podSpec['securityContext']);
  const result: ContainerSecurity[] = [];
  for (const [list, containerType] of Object.entries(CONTAINER_LISTS)) {
    for (const container of array(podSpec[list])) {
      const context = object(container['securityContext']);
      const pick = (key: string) => (context[key] !== undefined ? context[key] : podContext[key]);
      const runAsUser = typeof pick('runAsUser') === 'number' ? (pick('runAsUser') as number) : null;
      const privileged = context['privileged'] === true;
      const limits = object(object(container['resources'])['limits']);
      const cpuLimit = quantity(limits['cpu']);
      const memoryLimit = quantity(limits['memory']);
      const image = typeof container['image'] === 'string' ? container['image'] : null;
      const env = array(container['env']);
      const name = typeof container['name'] === 'string' ? container['name'] : '';
      result.push({
        file: workload.file,
        namespace: workload.namespace,
        kind: workload.kind,
        workload: workload.name,
        container: name,
        containerType,
        image,
        imagePinnedByDigest: image !== null && DIGEST_PINNED.test(image),
        runAsNonRoot:
          runAsUser === 0 ? false : pick('runAsNonRoot') === true || (runAsUser !== null && runAsUser > 0),
        runAsUser,
        privileged,
        allowPrivilegeEscalation: privileged || context['allowPrivilegeEscalation'] !== false,
        readOnlyRootFilesystem: context['readOnlyRootFilesystem'] === true,
        cpuLimit,
        memoryLimit,
        resourceLimitsSet: cpuLimit !== null && memoryLimit !== null,
        plainEnvSecrets: await plainEnvSecrets(env, workload.file),
        secretRefs:
          env.filter((variable) => object(variable['valueFrom'])['secretKeyRef'] !== undefined).length +
          array(container['envFrom']).filter((source) => source['secretRef'] !== undefined).length,
      });
    }
  }
  return result;
}
