import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ChainCheckpointer, chainCheckpointStreamId, ChainSigningKeys } from './chain-checkpoints';
import { verifyAgainstCheckpoint } from './chain-verification';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-rows';
import { chainedFormOf, chainHash, GENESIS_HASH } from './hash-chain';
import { PostgresEventStore } from './postgres-event-store';
import type { RecordedEvent } from './recorded-event';
import { createTestDatabase, type TestDatabase } from './test-database';

const keys = ChainSigningKeys.fromKeyring({
  active: 'test-1',
  keys: {
    'test-1': generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  },
});

describe('signed chain checkpoints (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let checkpointer: ChainCheckpointer;

  beforeAll(async () => {
    db = await createTestDatabase('attest_chain');
    store = new PostgresEventStore(db.pool, {
      outbox: (e) => ({
        topic: 'attest.test.events.v1',
        ceType: `io.attest.test.${e.type.toLowerCase()}.v1`,
      }),
      source: '/attest/test',
    });
    await store.migrate();
    checkpointer = new ChainCheckpointer(db.pool, store, keys);
  });
  afterAll(() => db.drop());

  /** A tenant with `n` events on one stream. */
  async function tenantWith(n: number): Promise<string> {
    const tenantId = `t-${randomUUID()}`;
    await store.append({
      tenantId,
      streamId: `s-${randomUUID()}`,
      streamType: 'sample',
      expectedVersion: 'no-stream',
      events: Array.from({ length: n }, (_, i) => ({ type: 'Sampled', data: { n: i + 1 } })),
    });
    return tenantId;
  }

  async function storedChain(tenantId: string): Promise<RecordedEvent[]> {
    const r = await db.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE tenant_id = $1 ORDER BY tenant_sequence`,
      [tenantId],
    );
    return r.rows.map(toRecordedEvent);
  }

  /**
   * What someone with write access to the database can do without the signing key: change an event and recompute
   * every later hash and the tenant head, so the chain is consistent again.
   */
  async function rewriteFrom(tenantId: string, sequence: number, data: unknown): Promise<void> {
    const events = await storedChain(tenantId);
    let prev = events[sequence - 2]?.hash ?? GENESIS_HASH;
    for (const e of events.slice(sequence - 1)) {
      const forged = { ...e, prevHash: prev, data: e.tenantSequence === sequence ? data : e.data };
      forged.hash = chainHash(prev, chainedFormOf(forged));
      await db.pool.query(
        'UPDATE event_store.events SET data = $2, prev_hash = $3, hash = $4 WHERE event_id = $1',
        [e.eventId, JSON.stringify(forged.data), forged.prevHash, forged.hash],
      );
      prev = forged.hash;
    }
    await db.pool.query('UPDATE event_store.tenant_chains SET last_hash = $2 WHERE tenant_id = $1', [
      tenantId,
      prev,
    ]);
  }

  it('signs the head, keeps the checkpoint and appends it as the next event, linked to the signed head', async () => {
    const tenantId = await tenantWith(3);
    const checkpoint = await checkpointer.checkpoint(tenantId);
    const chain = await storedChain(tenantId);
    expect(checkpoint).toMatchObject({
      tenantId,
      tenantSequence: 3,
      headHash: chain[2].hash,
      globalPosition: chain[2].position.globalPosition,
      keyId: 'test-1',
    });
    expect(await checkpointer.checkpoints(tenantId)).toEqual([checkpoint]);
    const event = chain[3];
    expect(event).toMatchObject({
      tenantSequence: 4,
      prevHash: checkpoint!.headHash,
      streamId: chainCheckpointStreamId(tenantId),
      type: 'ChainCheckpointSigned',
      topic: 'attest.test.events.v1',
    });
    const { tenantId: _t, ...signed } = checkpoint!;
    expect(event.data).toEqual({
      chainId: chainCheckpointStreamId(tenantId),
      ...signed,
      actor: { type: 'system', id: 'system:chain-checkpoint' },
    });
    expect(await store.verifyChain(tenantId)).toMatchObject({ ok: true, events: 4 });
    expect(verifyAgainstCheckpoint(chain, checkpoint!, keys.publicKeys())).toMatchObject({
      ok: true,
      events: 4,
    });
  });

  it('checkpoints only tenants whose chain moved since their last checkpoint', async () => {
    const tenantId = await tenantWith(1);
    const first = await checkpointer.checkpointMovedTenants();
    expect(first.map((c) => c.tenantId)).toContain(tenantId);
    expect((await checkpointer.checkpointMovedTenants()).map((c) => c.tenantId)).not.toContain(tenantId);
    await store.append({
      tenantId,
      streamId: `s-${randomUUID()}`,
      streamType: 'sample',
      expectedVersion: 'no-stream',
      events: [{ type: 'Sampled', data: { n: 2 } }],
    });
    const again = await checkpointer.checkpointMovedTenants();
    expect(again.find((c) => c.tenantId === tenantId)).toMatchObject({ tenantSequence: 3 });
  });

  // Old code: verifyChain was the only check, and it passes here; nothing outside the database held the head.
  it('catches a suffix rewritten with recomputed hashes and head, which verifyChain alone accepts', async () => {
    const tenantId = await tenantWith(4);
    const checkpoint = (await checkpointer.checkpoint(tenantId))!;
    await rewriteFrom(tenantId, 2, { n: 'forged' });

    expect(await store.verifyChain(tenantId)).toMatchObject({ ok: true, events: 5 });
    expect(verifyAgainstCheckpoint(await storedChain(tenantId), checkpoint, keys.publicKeys())).toMatchObject(
      {
        ok: false,
        reason: 'checkpoint-mismatch',
        tenantSequence: 4,
      },
    );
  });

  // Old code: deleting the newest events and moving the head back left a chain that verifies.
  it('catches a chain truncated below the checkpoint, which verifyChain alone accepts', async () => {
    const tenantId = await tenantWith(4);
    const checkpoint = (await checkpointer.checkpoint(tenantId))!;
    const chain = await storedChain(tenantId);
    await db.pool.query('DELETE FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence > 2', [
      tenantId,
    ]);
    await db.pool.query(
      'UPDATE event_store.tenant_chains SET last_sequence = 2, last_hash = $2 WHERE tenant_id = $1',
      [tenantId, chain[1].hash],
    );

    expect(await store.verifyChain(tenantId)).toMatchObject({ ok: true, events: 2 });
    expect(verifyAgainstCheckpoint(await storedChain(tenantId), checkpoint, keys.publicKeys())).toMatchObject(
      {
        ok: false,
        reason: 'truncated',
        tenantSequence: 4,
      },
    );
  });
});
