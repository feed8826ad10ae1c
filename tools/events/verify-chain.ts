// Verifies one tenant's hash chain from Kafka alone, the way an integrator would (docs/events/README.md, "Verifying
// a chain"): plain kafkajs, the `canonicalize` package (RFC 8785) and node:crypto; no Attest code.
//
//   npm run events:verify-chain -- --topic attest.readiness.events.v1 --tenant <tenant id> \
//     [--keys http://localhost:3000/v1/event-chain/keys | keys.json] [--brokers 127.0.0.1:9092]
//
// Exit code 0 when the chain verifies (and, with --keys, its latest checkpoint), 1 otherwise.
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

/** A record of the topic as the chain rule reads it: its headers and the parsed value. */
export interface ChainRecord {
  headers: Record<string, string>;
  data: unknown;
}

export interface ChainReport {
  ok: boolean;
  tenant: string;
  events: number;
  /** The tenant sequence range read; a chain read from the topic's start begins at 1. */
  from?: number;
  to?: number;
  checkpoint?: { tenantSequence: number; keyId: string; signedAt: string; verified: boolean };
  problems: string[];
}

const GENESIS = '0'.repeat(64);
const HASHED_ATTRIBUTES = [
  'id',
  'source',
  'type',
  'time',
  'subject',
  'tenantid',
  'correlationid',
  'causationid',
] as const;
const HASHED_NUMBERS = ['streamversion', 'tenantsequence', 'globalposition', 'schemaversion'] as const;

/** The documented rule: SHA-256 (hex) of the RFC 8785 JSON of the ce_ attributes, the data and `prevhash`. */
export function recomputeHash(record: ChainRecord): string {
  const h = record.headers;
  const form: Record<string, unknown> = { data: record.data, prevhash: h['ce_attestprevhash'] };
  for (const name of HASHED_ATTRIBUTES) if (h[`ce_${name}`]) form[name] = h[`ce_${name}`];
  for (const name of HASHED_NUMBERS) if (h[`ce_${name}`]) form[name] = Number(h[`ce_${name}`]);
  return createHash('sha256')
    .update(canonicalize(form) as string, 'utf8')
    .digest('hex');
}

/** Verifies a tenant's records (any order): hashes, links, no gaps; and the latest checkpoint if keys are given. */
export function verifyRecords(
  tenant: string,
  records: readonly ChainRecord[],
  jwks?: { keys: (JsonWebKey & { kid?: string })[] },
): ChainReport {
  const mine = records
    .filter((r) => r.headers['ce_tenantid'] === tenant)
    .sort((a, b) => Number(a.headers['ce_tenantsequence']) - Number(b.headers['ce_tenantsequence']));
  const problems: string[] = [];
  const report: ChainReport = { ok: false, tenant, events: mine.length, problems };
  if (mine.length === 0) {
    problems.push(`no events of tenant ${tenant} on the topic`);
    return report;
  }
  report.from = Number(mine[0].headers['ce_tenantsequence']);
  report.to = Number(mine[mine.length - 1].headers['ce_tenantsequence']);
  let prev = report.from === 1 ? GENESIS : mine[0].headers['ce_attestprevhash'];
  let expected = report.from;
  const hashAt = new Map<number, { hash: string; globalPosition: number }>();
  for (const r of mine) {
    const seq = Number(r.headers['ce_tenantsequence']);
    const where = `sequence ${seq} (ce_id ${r.headers['ce_id']})`;
    if (seq !== expected) problems.push(`${where}: expected sequence ${expected}`);
    if (r.headers['ce_attestprevhash'] !== prev)
      problems.push(`${where}: does not link to the event before it`);
    if (recomputeHash(r) !== r.headers['ce_attesthash'])
      problems.push(`${where}: the hash does not recompute`);
    hashAt.set(seq, {
      hash: r.headers['ce_attesthash'],
      globalPosition: Number(r.headers['ce_globalposition']),
    });
    prev = r.headers['ce_attesthash'];
    expected = seq + 1;
  }
  if (jwks) checkLatestCheckpoint(tenant, mine, hashAt, jwks, report);
  report.ok = problems.length === 0;
  return report;
}

function checkLatestCheckpoint(
  tenant: string,
  mine: readonly ChainRecord[],
  hashAt: Map<number, { hash: string; globalPosition: number }>,
  jwks: { keys: (JsonWebKey & { kid?: string })[] },
  report: ChainReport,
): void {
  const latest = [...mine]
    .reverse()
    .find((r) => r.headers['ce_type']?.endsWith('.chain-checkpoint-signed.v1'));
  if (!latest) {
    report.problems.push('no signed checkpoint on the topic yet');
    return;
  }
  const c = latest.data as {
    tenantSequence: number;
    headHash: string;
    globalPosition: number;
    signedAt: string;
    keyId: string;
    signature: string;
  };
  const signed = canonicalize({
    tenantId: tenant,
    tenantSequence: c.tenantSequence,
    headHash: c.headHash,
    globalPosition: c.globalPosition,
    signedAt: c.signedAt,
    keyId: c.keyId,
  }) as string;
  const jwk = jwks.keys.find((k) => k.kid === c.keyId);
  const verified =
    !!jwk &&
    verify(
      null,
      Buffer.from(signed, 'utf8'),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(c.signature, 'base64url'),
    );
  report.checkpoint = { tenantSequence: c.tenantSequence, keyId: c.keyId, signedAt: c.signedAt, verified };
  if (!verified)
    report.problems.push(`checkpoint at sequence ${c.tenantSequence}: the signature does not verify`);
  const head = hashAt.get(c.tenantSequence);
  if (head && (head.hash !== c.headHash || head.globalPosition !== c.globalPosition))
    report.problems.push(
      `checkpoint at sequence ${c.tenantSequence}: the chain does not hold the signed head`,
    );
  if (latest.headers['ce_attestprevhash'] !== c.headHash)
    report.problems.push(`checkpoint at sequence ${c.tenantSequence}: it does not follow the head it signs`);
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined && v !== null) out[name] = v.toString();
  }
  return out;
}

/** Reads a topic from its beginning to the end it had when the read started. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ChainRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `attest-verify-chain-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(
      ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]),
    );
    const records: ChainRecord[] = [];
    if (remaining.size === 0) return records;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            if (message.value)
              records.push({
                headers: headerStrings(message.headers),
                data: JSON.parse(message.value.toString('utf8')),
              });
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    return records;
  } finally {
    await consumer.disconnect();
    // The broker may still count the member that just left for a moment: retry, so no group is left behind.
    for (let attempt = 0; attempt < 20; attempt++) {
      const deleted = await admin.deleteGroups([groupId]).then(
        () => true,
        (err: { groups?: { errorCode: number }[] }) => err.groups?.every((g) => g.errorCode === 69) ?? true,
      );
      if (deleted) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await admin.disconnect();
  }
}

async function loadJwks(where: string): Promise<{ keys: (JsonWebKey & { kid?: string })[] }> {
  if (/^https?:\/\//.test(where)) {
    const response = await fetch(where);
    if (!response.ok) throw new Error(`${where}: HTTP ${response.status}`);
    return (await response.json()) as { keys: (JsonWebKey & { kid?: string })[] };
  }
  return JSON.parse(readFileSync(where, 'utf8'));
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const topic = option(args, 'topic');
  const tenant = option(args, 'tenant');
  if (!topic || !tenant) {
    console.error(
      'usage: npm run events:verify-chain -- --topic <topic> --tenant <tenant> [--keys <url|file>] [--brokers <host:port,...>]',
    );
    return 2;
  }
  const brokers = (option(args, 'brokers') ?? process.env['ATTEST_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(
    ',',
  );
  const keys = option(args, 'keys');
  const kafka = new Kafka({ clientId: 'attest-verify-chain', brokers, logLevel: logLevel.NOTHING });
  const report = verifyRecords(
    tenant,
    await readTopic(kafka, topic),
    keys ? await loadJwks(keys) : undefined,
  );
  console.log(JSON.stringify(report, null, 2));
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
