import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { freePort, startChildService, WORKSPACE_ROOT, type ChildService } from '@attest/service-kit';
import { identityProviderSettings, keycloakAdmin, passwordToken } from '@attest/service-kit/testing';
import { localObjectStoreEnv } from '@attest/evidence-storage/testing';
import { poll } from './poll';

/** The catalog controls the organization adopts for its evidence: a policy, configuration, TLS, change, secrets. */
const ADOPTED = ['AC-01', 'AC-04', 'OPS-07', 'NET-03', 'NET-02', 'CHG-02', 'SDL-05'];

/** A service's JSON answer, read by the demo as it reads the API's documentation. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Fact = { resourceType: string; resourceId: string; attributes: Record<string, Json> };

export interface CollectorRunSummary {
  collectorId: string;
  status: string;
  facts: number;
  items: number;
  /** What a reader should notice, in a few words each. */
  findings: string[];
}

export interface EvidenceWalkthroughResult {
  /** The compliance manager who adopted, uploaded and collected; the auditor who took the bundle away. */
  manager: string;
  auditor: string;
  /** The catalog controls adopted in control-mapping. */
  adopted: string[];
  /** Where the content went: the local S3-compatible store, or a directory. */
  store: string;
  uploads: { fileName: string; sha256: string; period: string; control: string; freshness: string }[];
  runs: CollectorRunSummary[];
  bundle: { bundleId: string; items: number; checkpointSequence: number };
  /** The demo's files (bundle, keys, the repository and manifests it collected from); kept for the reader. */
  workDir: string;
  verify: { command: string; exitCode: number; output: string };
}

/**
 * Evidence, as a compliance manager and an auditor see it: the organization adopts controls in control-mapping, the
 * evidence service hears of them over Kafka; the manager uploads a policy and a configuration export for a control
 * and runs the four collectors against real systems here (the local PostgreSQL, this Linux host, a git repository
 * and Kubernetes manifests the demo prepares); an auditor issues a signed bundle of everything, downloads it with
 * the public keys, and `attest-verify` checks it offline.
 */
export async function evidenceWalkthrough(options: {
  tenantId: string;
  controlMappingUrl: string;
  controlSetId: string;
}): Promise<EvidenceWalkthroughResult> {
  const { tenantId } = options;
  const workDir = await mkdtemp(path.join(tmpdir(), 'attest-demo-evidence-'));
  const sources = path.join(workDir, 'sources');
  await mkdir(sources);
  const repo = await gitRepository(path.join(sources, 'repo'));
  const manifests = await kubernetesManifests(path.join(sources, 'manifests'));

  const manager = await registerUser(tenantId, 'evidence', 'Jordan', 'Reyes', 'compliance-manager');
  const auditor = await registerUser(tenantId, 'auditor', 'Elena', 'Novak', 'auditor');
  const { service, store } = await startEvidenceService(workDir, sources);
  try {
    const evidenceUrl = await service.url(120_000);
    const cm = client(options.controlMappingUrl, manager.token);
    const ev = client(evidenceUrl, manager.token);

    const adoption = await cm(
      'POST',
      `/control-sets/${options.controlSetId}/adopt`,
      { mode: 'picked', catalogControlIds: ADOPTED },
      { 'Idempotency-Key': randomUUID() },
    );
    const adopted = adoption.body.adopted as { controlId: string; catalogControlId: string }[];
    const control = (catalogControlId: string) => {
      const found = adopted.find((c) => c.catalogControlId === catalogControlId);
      if (!found) throw new Error(`control-mapping did not adopt ${catalogControlId}`);
      return found.controlId;
    };

    const today = new Date().toISOString().slice(0, 10);
    const policy = {
      title: 'Access control policy 1.0',
      evidenceType: 'policy-document',
      controlIds: [control('AC-01')],
      period: { from: `${today.slice(0, 4)}-01-01`, to: today },
      tags: ['policy'],
    };
    const policyFile = {
      fileName: 'access-control-policy.md',
      mediaType: 'text/markdown',
      bytes: Buffer.from(
        '# Access control policy\n\nAccess is granted by role, reviewed quarterly, revoked on leaving.\n',
      ),
    };
    // The evidence service knows the controls once control-mapping's events reached it over Kafka: until then an
    // upload naming them is refused (unknown-control, 422) before a byte is stored.
    const uploadedPolicy = await poll(120_000, async () => {
      const res = await upload(evidenceUrl, manager.token, policy, policyFile);
      if (res.status === 422 && res.body.code === 'unknown-control') return null;
      if (res.status !== 201)
        throw new Error(`POST /evidence-items → ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    });
    const configExport = {
      title: 'Production database parameters export',
      evidenceType: 'config-snapshot',
      controlIds: [control('OPS-07'), control('NET-03')],
      period: { from: today, to: today },
      tags: ['configuration'],
    };
    const uploadedConfig = await upload(evidenceUrl, manager.token, configExport, {
      fileName: 'db-parameters.json',
      mediaType: 'application/json',
      bytes: Buffer.from(
        JSON.stringify({ ssl: 'on', password_encryption: 'scram-sha-256', log_connections: 'on' }, null, 2),
      ),
    });
    if (uploadedConfig.status !== 201)
      throw new Error(
        `POST /evidence-items → ${uploadedConfig.status}: ${JSON.stringify(uploadedConfig.body)}`,
      );
    const uploads = [
      { item: uploadedPolicy, control: 'AC-01' },
      { item: uploadedConfig.body, control: 'OPS-07, NET-03' },
    ].map(({ item, control }) => ({
      fileName: item.content.fileName as string,
      sha256: item.content.sha256 as string,
      control,
      period: `${item.period.from}..${item.period.to}`,
      // Valid for the shortest frequency of the linked controls after the period's end.
      freshness: item.freshness.validUntil
        ? `${item.freshness.status}, valid until ${item.freshness.validUntil}`
        : item.freshness.status,
    }));

    const configs: Record<string, Record<string, unknown>> = {
      'postgresql-security': postgresqlCollectorConfig(),
      'linux-host-baseline': {},
      'git-repository-practices': { path: repo.path, allowedSignersFile: repo.allowedSigners },
      'kubernetes-manifests': { path: manifests },
    };
    const runs: CollectorRunSummary[] = [];
    const itemIds = [uploadedPolicy.itemId as string, uploadedConfig.body.itemId as string];
    for (const [collectorId, config] of Object.entries(configs)) {
      const { body: run } = await ev(
        'POST',
        '/collector-runs',
        { collectorId, config },
        { 'Idempotency-Key': randomUUID() },
      );
      if (run.status !== 'succeeded')
        throw new Error(`collector ${collectorId} failed: ${JSON.stringify(run.error)}`);
      itemIds.push(...(run.evidenceItemIds as string[]));
      runs.push({
        collectorId,
        status: run.status,
        facts: run.facts.length,
        items: run.evidenceItemIds.length,
        findings: FINDINGS[collectorId](run.facts),
      });
    }

    // The auditor takes everything away: a bundle of every item, its archive and the public keys.
    const auditorCall = client(evidenceUrl, auditor.token);
    const { body: bundle } = await auditorCall('POST', '/evidence-bundles', { itemIds });
    const archive = await fetch(`${evidenceUrl}/v1/evidence-bundles/${bundle.bundleId}/archive`, {
      headers: { Authorization: `Bearer ${auditor.token}` },
    });
    if (archive.status !== 200) throw new Error(`GET the bundle's archive → ${archive.status}`);
    const bundlePath = path.join(workDir, `evidence-bundle-${bundle.bundleId}.tar.gz`);
    await writeFile(bundlePath, Buffer.from(await archive.arrayBuffer()));
    const keys = await fetch(`${evidenceUrl}/.well-known/attest/signing-keys`);
    if (keys.status !== 200) throw new Error(`GET /.well-known/attest/signing-keys → ${keys.status}`);
    const keysPath = path.join(workDir, 'signing-keys.json');
    await writeFile(keysPath, await keys.text());

    const verify = await attestVerify(bundlePath, keysPath);
    return {
      manager: manager.username,
      auditor: auditor.username,
      adopted: ADOPTED,
      store,
      uploads,
      runs,
      bundle: {
        bundleId: bundle.bundleId,
        items: bundle.items.length,
        checkpointSequence: bundle.checkpoint.tenantSequence,
      },
      workDir,
      verify,
    };
  } catch (err) {
    // A service that died answers nothing; what it wrote on its way out says why.
    if (service.process.exitCode !== null)
      throw new Error(`the evidence service exited: ${service.stderr.join('').slice(-2000)}`, { cause: err });
    throw err;
  } finally {
    await service.stop('SIGTERM');
  }
}

/**
 * The evidence service as its own process, on the demo's database, its content in the local object store (else in
 * `workDir`); collectors may read under `allowedPaths`.
 */
export async function startEvidenceService(
  workDir: string,
  allowedPaths?: string,
): Promise<{ service: ChildService; store: string }> {
  const { store, storeEnv } = contentStoreSettings(workDir);
  const idp = identityProviderSettings();
  const service = startChildService('apps/evidence/src/main.ts', {
    ATTEST_OIDC_ISSUER: idp.issuer,
    ATTEST_OIDC_AUDIENCE: idp.audience,
    ATTEST_HTTP_PORT: String(await freePort()),
    ATTEST_EVIDENCE_DATABASE: 'attest_evidence',
    ...(allowedPaths ? { ATTEST_COLLECTOR_ALLOWED_PATHS: allowedPaths } : {}),
    ...storeEnv,
  });
  return { service, store };
}

/** The `postgresql-security` collector's config for the local PostgreSQL, read as the services' own role. */
export function postgresqlCollectorConfig(): Record<string, unknown> {
  const pg = new URL(postgresDatabaseUrl(infraEndpoints(), 'attest_evidence'));
  return {
    host: pg.hostname,
    port: Number(pg.port || 5432),
    database: decodeURIComponent(pg.pathname.slice(1)),
    user: decodeURIComponent(pg.username),
    ...(pg.password ? { password: decodeURIComponent(pg.password) } : {}),
    // The local server listens on loopback without TLS; the run reports that as a finding.
    sslmode: 'disable',
  };
}

/** The local SeaweedFS bucket when the infrastructure started it, else a directory of the demo's own. */
function contentStoreSettings(workDir: string): { store: string; storeEnv: Record<string, string> } {
  try {
    const env = localObjectStoreEnv();
    return { store: `s3://${env['ATTEST_S3_BUCKET']} at ${env['ATTEST_S3_ENDPOINT']}`, storeEnv: env };
  } catch {
    const dir = path.join(workDir, 'content');
    return { store: dir, storeEnv: { ATTEST_EVIDENCE_STORE: 'filesystem', ATTEST_EVIDENCE_DIR: dir } };
  }
}

export async function registerUser(
  tenantId: string,
  name: string,
  firstName: string,
  lastName: string,
  role: string,
): Promise<{ username: string; token: string }> {
  const username = `${name}@${tenantId}.example`;
  const password = randomBytes(18).toString('base64url');
  await keycloakAdmin().createUser({ username, firstName, lastName, password, tenant: tenantId, role });
  return { username, token: await passwordToken(username, { password }) };
}

/** `npm run attest-verify` exactly as a reader re-runs it; exit 0 is VERIFIED. */
function attestVerify(
  bundlePath: string,
  keysPath: string,
): Promise<{ command: string; exitCode: number; output: string }> {
  const args = ['run', '--silent', 'attest-verify', '--', bundlePath, '--keys', keysPath];
  const command = `npm ${args.join(' ')}`;
  return new Promise((resolve) => {
    execFile('npm', args, { cwd: WORKSPACE_ROOT }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === 'number' ? err.code : 2) : 0;
      resolve({ command, exitCode, output: `${stdout}${stderr}`.trimEnd() });
    });
  });
}

/**
 * A repository with a known history: a CODEOWNERS file committed with a signature by a trusted ssh key, then an
 * unsigned change; the allowed-signers file names the trusted key.
 */
async function gitRepository(dir: string): Promise<{ path: string; allowedSigners: string }> {
  const keys = path.join(path.dirname(dir), 'keys');
  await mkdir(dir, { recursive: true });
  await mkdir(keys);
  // No user or system git config applies: the history is the same on every machine.
  const env = { ...process.env, HOME: keys, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, env, encoding: 'utf8' });
  const key = path.join(keys, 'release-signing');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'release-signing', '-f', key]);
  const allowedSigners = path.join(keys, 'allowed_signers');
  await writeFile(allowedSigners, `dev@northwind.example ${await readFile(`${key}.pub`, 'utf8')}`);
  run('git', ['init', '-q', '-b', 'main']);
  run('git', ['config', 'user.name', 'Dana Whitfield']);
  run('git', ['config', 'user.email', 'dev@northwind.example']);
  run('git', ['config', 'gpg.format', 'ssh']);
  await mkdir(path.join(dir, '.github'));
  await writeFile(
    path.join(dir, '.github', 'CODEOWNERS'),
    '* @northwind/platform\n/billing/ @northwind/billing\n',
  );
  await writeFile(path.join(dir, 'README.md'), '# billing-api\n');
  run('git', ['add', '.']);
  run('git', ['-c', `user.signingkey=${key}.pub`, 'commit', '-S', '-q', '-m', 'Add code owners']);
  await writeFile(path.join(dir, 'README.md'), '# billing-api\n\nInvoices and payments.\n');
  run('git', ['commit', '-q', '-a', '-m', 'Describe the service']);
  return { path: dir, allowedSigners };
}

/**
 * Two namespaces: `payments` runs a hardened deployment behind a default-deny NetworkPolicy; `legacy` runs a
 * privileged container as root, by tag, without limits, with a database password in plain env.
 */
async function kubernetesManifests(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const digest = 'sha256:' + 'ab'.repeat(32);
  await writeFile(
    path.join(dir, 'payments.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: payments-api, namespace: payments }
spec:
  selector: { matchLabels: { app: payments-api } }
  template:
    metadata: { labels: { app: payments-api } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 10001 }
      containers:
        - name: api
          image: registry.example/payments-api@${digest}
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }
          resources: { limits: { cpu: 500m, memory: 256Mi } }
          env:
            - name: DATABASE_PASSWORD
              valueFrom: { secretKeyRef: { name: payments-db, key: password } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: payments }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
  );
  await writeFile(
    path.join(dir, 'legacy.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: report-worker, namespace: legacy }
spec:
  selector: { matchLabels: { app: report-worker } }
  template:
    metadata: { labels: { app: report-worker } }
    spec:
      containers:
        - name: worker
          image: registry.example/report-worker:latest
          securityContext: { privileged: true, runAsUser: 0 }
          env:
            - name: DATABASE_PASSWORD
              value: ${['correct', 'horse', 'battery', 'staple'].join('-')}
`,
  );
  return dir;
}

const ofType = (facts: Fact[], type: string) => facts.filter((f) => f.resourceType === type);
const one = (facts: Fact[], type: string) => ofType(facts, type)[0]?.attributes ?? {};

/** The few facts of each run a reader should notice. */
const FINDINGS: Record<string, (facts: Fact[]) => string[]> = {
  'postgresql-security': (facts) => {
    const server = one(facts, 'postgresql.server');
    const roles = ofType(facts, 'postgresql.role').map((f) => f.attributes);
    const hba = one(facts, 'postgresql.hba');
    return [
      `PostgreSQL ${server.version}: TLS ${server.ssl ? 'on' : 'OFF'}, password_encryption ${server.passwordEncryption}, ` +
        `log_connections ${server.logConnections ? 'on' : 'off'}, pgaudit ${server.auditExtensionLoaded ? 'loaded' : 'not loaded'}`,
      `${roles.filter((r) => r.canLogin).length} login roles, ${roles.filter((r) => r.superuser).length} superuser(s): ` +
        roles
          .filter((r) => r.superuser)
          .map((r) => r.name)
          .join(', '),
      hba.readable
        ? `pg_hba: ${hba.ruleCount} rules, methods ${hba.authMethods.join(', ')}`
        : 'pg_hba not readable by this role',
    ];
  },
  'linux-host-baseline': (facts) => {
    const sshd = one(facts, 'linux.sshd');
    const listening = ofType(facts, 'linux.listening-service').map((f) => f.attributes);
    const firewall = one(facts, 'linux.firewall');
    const disk = one(facts, 'linux.disk-encryption');
    const updates = one(facts, 'linux.automatic-updates');
    return [
      sshd.configPresent
        ? `sshd: PermitRootLogin ${sshd.permitRootLogin}, PasswordAuthentication ${sshd.passwordAuthentication}`
        : 'no sshd configuration on this host',
      `${listening.length} listening sockets, ${listening.filter((l) => l.exposure === 'all-interfaces').length} on all interfaces`,
      `default-deny inbound firewall: ${firewall.defaultDenyInbound ? 'yes' : 'NO'}; automatic updates: ` +
        `${updates.mechanism ?? 'none found'}; root filesystem encrypted: ${disk.rootFilesystemEncrypted}`,
    ];
  },
  'git-repository-practices': (facts) => {
    const signatures = one(facts, 'git.commit-signatures');
    const history = one(facts, 'git.branch-history');
    const owners = one(facts, 'git.codeowners');
    const secrets = one(facts, 'git.secret-scan');
    return [
      `${signatures.signed} of ${signatures.commits} commits signed, ${signatures.verified} by a trusted key ` +
        `(${Math.round(signatures.verifiedRatio * 100)}%)`,
      `${history.directCommits} direct commits to the default branch, ${history.mergeCommits} merges; ` +
        `CODEOWNERS ${owners.present ? `at ${owners.path} (${owners.rules} rules)` : 'MISSING'}`,
      `secret scan: ${secrets.findings} finding(s) in ${secrets.commitsScanned} commits`,
    ];
  },
  'kubernetes-manifests': (facts) => {
    const containers = ofType(facts, 'kubernetes.container');
    const namespaces = ofType(facts, 'kubernetes.namespace');
    const names = (pick: (a: Fact['attributes']) => boolean, list = containers) =>
      list.filter((f) => pick(f.attributes)).map((f) => f.resourceId);
    const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');
    return [
      `${containers.length} containers in ${namespaces.length} namespaces`,
      `privileged: ${list(names((a) => a.privileged))}; not runAsNonRoot: ${list(names((a) => !a.runAsNonRoot))}`,
      `no resource limits: ${list(names((a) => !a.resourceLimitsSet))}; image not pinned by digest: ` +
        list(names((a) => !a.imagePinnedByDigest)),
      `secrets in plain env: ${list(names((a) => a.plainEnvSecrets.length > 0))}; namespaces without a ` +
        `default-deny NetworkPolicy: ${list(names((a) => !a.defaultDenyIngress, namespaces))}`,
    ];
  },
};

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ body: Json; headers: Headers }>;

/** A JSON client for one service's /v1 API with a bearer token; any status from 300 up is an error with the problem. */
export function client(baseUrl: string, token: string): Call {
  return async (method, route, body, headers = {}) => {
    const res = await fetch(`${baseUrl}/v1${route}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
    return { body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

/** A multipart upload as the README's curl sends it: the `metadata` field first, then the `file` part. */
async function upload(
  baseUrl: string,
  token: string,
  metadata: object,
  file: { fileName: string; mediaType: string; bytes: Buffer },
): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('file', new Blob([file.bytes], { type: file.mediaType }), file.fileName);
  const res = await fetch(`${baseUrl}/v1/evidence-items`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
