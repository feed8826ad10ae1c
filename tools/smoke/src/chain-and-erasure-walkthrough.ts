import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Pool } from 'pg';
import { topicFor } from '@attest/event-contracts';
import { poll } from './poll';

/** What `npm run events:verify-chain` prints (tools/events/verify-chain.ts). */
export interface ChainReport {
  ok: boolean;
  events: number;
  checkpoint?: { tenantSequence: number; keyId: string; verified: boolean };
  problems: string[];
}

/** A JSON call to one service's /v1 API with the organization admin's token (any status from 300 up throws). */
export type ServiceCall = (method: string, path: string, body?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ChainAndErasureResult {
  /** The tenant's readiness chain verified from Kafka alone, with its latest signed checkpoint. */
  fromKafka: ChainReport;
  /** The owner's name as stored and published (a sealed token), and what the resolution API made of it. */
  publishedOwnerName: string;
  resolvedBeforeErasure: string | undefined;
  /** After "forget this person": the read model, the resolution API, and both chain checks. */
  keysErased: number;
  ownerNameInReadModel: string;
  resolvedAfterErasure: { erased: boolean; value?: string };
  fromKafkaAfterErasure: ChainReport;
}

const SEALED = /^pd1\./;

/**
 * What an integrator and a data-protection officer see: the tenant's readiness events read from Kafka with a plain
 * consumer verify link by link up to a checkpoint the service signed (its public keys from the API); the remediation
 * task owner's name travels sealed and is read through the API; forgetting the owner erases the name everywhere while
 * every event, and so the chain, stays as it was.
 */
export async function chainAndErasureWalkthrough(options: {
  tenantId: string;
  readinessUrl: string;
  readiness: ServiceCall;
  /** The readiness service's database, where the events are stored in the form they are published. */
  pool: Pool;
  owner: { personId: string; displayName: string };
}): Promise<ChainAndErasureResult> {
  const { tenantId, readinessUrl, readiness, pool, owner } = options;
  const verify = () => verifyChainFromKafka(tenantId, `${readinessUrl}/v1/event-chain/keys`);

  // The service signs a checkpoint of every tenant whose chain moved; wait until one covering our events is out.
  const fromKafka = await poll(90_000, async () => {
    const report = await verify();
    return report.ok && report.checkpoint?.verified ? report : null;
  });

  const publishedOwnerName = await ownerNameOf(pool, tenantId);
  if (!SEALED.test(publishedOwnerName))
    throw new Error(`the owner's name left the service unsealed: ${publishedOwnerName}`);
  const before = await readiness('POST', '/personal-data/resolutions', { tokens: [publishedOwnerName] });

  const erasure = await readiness('POST', '/personal-data/erasures', { subjectId: owner.personId });
  const tasks = await readiness('GET', '/remediation-tasks');
  const ownerNameInReadModel =
    (tasks.items as { owner?: { displayName?: string } }[])[0]?.owner?.displayName ?? '';
  const after = await readiness('POST', '/personal-data/resolutions', { tokens: [publishedOwnerName] });
  const fromKafkaAfterErasure = await verify();

  return {
    fromKafka,
    publishedOwnerName,
    resolvedBeforeErasure: before.resolutions[0]?.value,
    keysErased: erasure.keysErased,
    ownerNameInReadModel,
    resolvedAfterErasure: { erased: after.resolutions[0].erased, value: after.resolutions[0].value },
    fromKafkaAfterErasure,
  };
}

/** The integrator's own tool, run as an integrator would run it: plain kafkajs and the documented rule. */
function verifyChainFromKafka(tenantId: string, keysUrl: string): Promise<ChainReport> {
  const root = path.resolve(__dirname, '../../..');
  const args = ['-r', '@swc-node/register', 'tools/events/verify-chain.ts'];
  args.push('--topic', topicFor('readiness'), '--tenant', tenantId, '--keys', keysUrl);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' } },
      (err, stdout, stderr) => {
        // Exit 1 is a verdict (the report says why); anything else is a failure of the tool.
        if (err && err.code !== 1) return reject(new Error(`verify-chain failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout) as ChainReport);
      },
    );
  });
}

/** The owner's name in the first remediation task event, exactly as it was stored and therefore published. */
async function ownerNameOf(pool: Pool, tenantId: string): Promise<string> {
  const r = await pool.query<{ name: string | null }>(
    `SELECT data->'owner'->>'displayName' AS name FROM event_store.events
     WHERE tenant_id = $1 AND ce_type = 'io.attest.readiness.remediation-task-created.v1'
     ORDER BY tenant_sequence LIMIT 1`,
    [tenantId],
  );
  const name = r.rows[0]?.name;
  if (!name) throw new Error('no remediation task with an owner name was published');
  return name;
}
