import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { infraEndpoints } from '@attest/platform-config';
import {
  ChainCheckpointer,
  ChainSigningKeys,
  PostgresEventStore,
  type RecordedEvent,
} from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { encodeCloudEvent } from './cloud-event-codec';
import { cleanUpKafka, freshName, freshTopic } from './test-kafka';

/**
 * The claim of docs/events/README.md ("Verifying a chain"): an integrator recomputes every hash, link and checkpoint
 * signature from the Kafka records alone. The reader below is plain kafkajs and the rule is re-implemented here
 * from the documentation, not imported. Old code: ce_attesthash covered store fields no record carried (stream
 * type, store type, metadata), so no consumer could recompute it.
 */

/** RFC 8785 for JSON values: keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string forms. */
function jcs(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jcs(object[k])}`)
    .join(',')}}`;
}

interface Received {
  headers: Record<string, string>;
  data: unknown;
}

/** The documented hashed form: the ce_ attributes (numbers as numbers), the data, and prevhash. */
function documentedHash(r: Received): string {
  const h = r.headers;
  const form: Record<string, unknown> = {
    id: h.ce_id,
    source: h.ce_source,
    type: h.ce_type,
    time: h.ce_time,
    subject: h.ce_subject,
    tenantid: h.ce_tenantid,
    streamversion: Number(h.ce_streamversion),
    tenantsequence: Number(h.ce_tenantsequence),
    globalposition: Number(h.ce_globalposition),
    schemaversion: Number(h.ce_schemaversion),
    data: r.data,
    prevhash: h.ce_attestprevhash,
  };
  if (h.ce_correlationid) form.correlationid = h.ce_correlationid;
  if (h.ce_causationid) form.causationid = h.ce_causationid;
  return createHash('sha256').update(jcs(form), 'utf8').digest('hex');
}

/** Verifies a tenant's records by the documented rule; the first problem, or null. */
function documentedVerdict(
  tenant: string,
  records: Received[],
  jwks: { keys: { kid: string }[] },
): string | null {
  const chain = records
    .filter((r) => r.headers.ce_tenantid === tenant)
    .sort((a, b) => Number(a.headers.ce_tenantsequence) - Number(b.headers.ce_tenantsequence));
  let prev = '0'.repeat(64);
  for (const [i, r] of chain.entries()) {
    if (Number(r.headers.ce_tenantsequence) !== i + 1) return `gap before ${r.headers.ce_tenantsequence}`;
    if (r.headers.ce_attestprevhash !== prev) return `broken link at ${i + 1}`;
    if (documentedHash(r) !== r.headers.ce_attesthash) return `hash mismatch at ${i + 1}`;
    prev = r.headers.ce_attesthash;
  }
  const checkpoint = [...chain]
    .reverse()
    .find((r) => r.headers.ce_type.endsWith('.chain-checkpoint-signed.v1'));
  if (!checkpoint) return 'no checkpoint';
  const c = checkpoint.data as Record<string, string | number>;
  const signed = jcs({
    tenantId: tenant,
    tenantSequence: c.tenantSequence,
    headHash: c.headHash,
    globalPosition: c.globalPosition,
    signedAt: c.signedAt,
    keyId: c.keyId,
  });
  const jwk = jwks.keys.find((k) => k.kid === c.keyId);
  if (!jwk) return 'unknown key';
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  if (!verify(null, Buffer.from(signed), key, Buffer.from(String(c.signature), 'base64url')))
    return 'bad signature';
  const head = chain[Number(c.tenantSequence) - 1];
  if (head?.headers.ce_attesthash !== c.headHash || checkpoint.headers.ce_attestprevhash !== c.headHash)
    return 'checkpoint does not match the chain';
  return null;
}

describe('a tenant chain verified from Kafka alone (real PostgreSQL and Kafka, plain kafkajs reader)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topics = [freshTopic('chain'), freshTopic('chaintampered')];
  const groups: string[] = [];
  const keys = ChainSigningKeys.fromKeyring({
    active: 'it-1',
    keys: {
      'it-1': generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    },
  });
  // What GET /v1/event-chain/keys serves, as an integrator fetches it.
  const jwks = JSON.parse(JSON.stringify(keys.jwks()));
  const tenant = `tenant-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase('attest_chain_kafka');
    kafka = new Kafka({
      clientId: 'chain-it',
      brokers: infraEndpoints().kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    // Several partitions: a tenant's events spread over them (keyed by stream), so the reader must order by sequence.
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await cleanUpKafka(kafka, topics, groups);
    await db.drop();
  });

  /** Publishes as the relay does: the stored JSON text as the value, the attributes from the stored event. */
  async function publish(
    events: RecordedEvent[],
    topic: string,
    tamper?: (e: RecordedEvent, text: string) => string,
  ) {
    const texts = await db.pool.query<{ event_id: string; data: string }>(
      'SELECT event_id, data::text AS data FROM event_store.events WHERE event_id = ANY($1::uuid[])',
      [events.map((e) => e.eventId)],
    );
    const text = new Map(texts.rows.map((r) => [r.event_id, r.data]));
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: events.map((e) => {
          const value = text.get(e.eventId)!;
          return encodeCloudEvent(e, { topic, value: tamper ? tamper(e, value) : value }).message;
        }),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** Runs tools/events/verify-chain.ts as the docs show it; its exit code and JSON report. */
  async function verifyChainCommand(topic: string): Promise<{ code: number; report: unknown }> {
    const dir = mkdtempSync(join(tmpdir(), 'attest-chain-keys-'));
    try {
      const keysFile = join(dir, 'jwks.json');
      writeFileSync(keysFile, JSON.stringify(jwks));
      const root = resolve(__dirname, '../../..');
      const args = ['-r', '@swc-node/register', 'tools/events/verify-chain.ts'];
      args.push('--topic', topic, '--tenant', tenant, '--keys', keysFile);
      args.push('--brokers', infraEndpoints().kafkaBrokers.join(','));
      return await new Promise((done, fail) =>
        execFile(
          process.execPath,
          args,
          { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' }, timeout: 60_000 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
            try {
              done({ code, report: JSON.parse(stdout) });
            } catch {
              fail(new Error(`verify-chain exited ${code}: ${stderr || stdout}`));
            }
          },
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A plain kafkajs reader: from the beginning to the end the topic has now. */
  async function readAll(topic: string): Promise<Received[]> {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const left = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
    const groupId = freshName('chain-it-reader');
    groups.push(groupId);
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const records: Received[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`read ${records.length} records of ${topic}`)),
          30_000,
        );
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
              records.push({ headers, data: JSON.parse(message.value!.toString('utf8')) });
              if (Number(message.offset) + 1 >= (left.get(partition) ?? 0)) left.delete(partition);
              if (left.size === 0) {
                clearTimeout(deadline);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return records;
  }

  it('recomputes every hash, link and the checkpoint signature, and catches a tampered record', async () => {
    const store = new PostgresEventStore(db.pool, {
      outbox: (e) => ({
        topic: topics[0],
        ceType: `io.attest.chaintest.${e.type === 'ChainCheckpointSigned' ? 'chain-checkpoint-signed' : 'sampled'}.v1`,
      }),
      source: '/attest/chaintest',
    });
    await store.migrate();
    const append = (streamId: string, data: unknown[]) =>
      store.append({
        tenantId: tenant,
        streamId,
        streamType: 'sample',
        expectedVersion: 'any',
        events: data.map((d) => ({
          type: 'Sampled',
          data: d,
          metadata: { correlationId: 'corr-1', actor: 'u1' },
        })),
      });
    // Data whose stored text (jsonb) differs from JSON.stringify: key order, spacing, non-ASCII, large numbers.
    await append('s-1', [
      { z: 1, a: 'ünïcödé ✓', nested: { b: [1, 2.5, null], a: true } },
      { big: 1e21, small: 1e-7 },
    ]);
    await append('s-2', [{ text: 'line\nbreak "quoted"' }]);
    await new ChainCheckpointer(db.pool, store, keys).checkpoint(tenant);
    await append('s-1', [{ after: 'the checkpoint' }]);

    const stored = (await store.readLog(undefined, 1000, { stored: true })).filter(
      (e) => e.tenantId === tenant,
    );
    expect(stored.map((e) => e.tenantSequence)).toEqual([1, 2, 3, 4, 5]);
    await publish(stored, topics[0]);
    await publish(stored, topics[1], (e, text) =>
      e.tenantSequence === 2
        ? text.replace('1e+21', '2e+21').replace('1000000000000000000000', '2000000000000000000000')
        : text,
    );

    const published = await readAll(topics[0]);
    expect(published).toHaveLength(5);
    expect(documentedVerdict(tenant, published, jwks)).toBeNull();
    // The runnable example of the docs agrees: `npm run events:verify-chain` with the keys as a JWKS file.
    expect(await verifyChainCommand(topics[0])).toMatchObject({
      code: 0,
      report: { ok: true, events: 5, checkpoint: { tenantSequence: 3, verified: true } },
    });

    const tampered = await readAll(topics[1]);
    expect(documentedVerdict(tenant, tampered, jwks)).toBe('hash mismatch at 2');
    expect(await verifyChainCommand(topics[1])).toMatchObject({
      code: 1,
      report: { ok: false, problems: [expect.stringMatching(/^sequence 2 .*the hash does not recompute/)] },
    });
  });
});
