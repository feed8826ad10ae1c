import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  CHAIN_CHECKPOINT_INTERVAL_ENV,
  PostgresEventStore,
  publicKeysFromJwks,
  verifyAgainstCheckpoint,
  type ChainCheckpoint,
} from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { ACME, startTestApp, type TestApp } from './readiness-test-kit';

jest.setTimeout(120_000);

/**
 * The service anchors its tenants' chains: on its schedule it signs the head of every tenant whose chain moved,
 * publishes the checkpoint as an event, and serves the public keys that verify it to anyone. Old code: no
 * checkpoints, no keys; a chain rewritten in the database could not be told from the original.
 */
describe('readiness signs checkpoints of its tenants’ chains (PostgreSQL, Kafka)', () => {
  let db: TestDatabase;
  let svc: TestApp;
  const interval = process.env[CHAIN_CHECKPOINT_INTERVAL_ENV];

  beforeAll(async () => {
    process.env[CHAIN_CHECKPOINT_INTERVAL_ENV] = '1000';
    db = await createTestDatabase('attest_rd_chain');
    svc = await startTestApp(db.pool);
  });
  afterAll(async () => {
    if (interval === undefined) delete process.env[CHAIN_CHECKPOINT_INTERVAL_ENV];
    else process.env[CHAIN_CHECKPOINT_INTERVAL_ENV] = interval;
    await svc?.app.close();
    await db?.drop();
  });

  it('checkpoints a moved chain on its schedule, publishes it, and its public JWKS verifies it', async () => {
    // The tenant's chain moves. Appended directly and left unpublished (no route): only the chain matters here, and
    // the HTTP path answers before its read models in other tests.
    await new PostgresEventStore(db.pool).append({
      tenantId: ACME,
      streamId: randomUUID(),
      streamType: 'risk',
      expectedVersion: 'no-stream',
      events: [{ type: 'RiskRegistered', data: { note: 'the chain moved' } }],
    });
    const checkpoint = await waitFor(
      'a signed checkpoint of the tenant',
      async () => {
        const r = await db.pool.query<ChainCheckpoint>(
          `SELECT tenant_id AS "tenantId", tenant_sequence::int AS "tenantSequence", head_hash AS "headHash",
                  global_position::int AS "globalPosition", to_char(signed_at AT TIME ZONE 'UTC',
                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "signedAt", key_id AS "keyId", signature
           FROM event_store.chain_checkpoints WHERE tenant_id = $1 ORDER BY tenant_sequence LIMIT 1`,
          [ACME],
        );
        return r.rows[0];
      },
      30_000,
    );

    const keys = await request(svc.app.getHttpServer()).get('/v1/event-chain/keys').expect(200);
    expect(keys.body.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      kid: checkpoint.keyId,
    });

    const chain = (await new PostgresEventStore(db.pool).readLog(undefined, 10_000, { stored: true }))
      .filter((e) => e.tenantId === ACME)
      .sort((a, b) => a.tenantSequence - b.tenantSequence);
    expect(verifyAgainstCheckpoint(chain, checkpoint, publicKeysFromJwks(keys.body))).toMatchObject({
      ok: true,
    });
    expect(chain[checkpoint.tenantSequence]).toMatchObject({
      type: 'ChainCheckpointSigned',
      ceType: 'io.attest.readiness.chain-checkpoint-signed.v1',
      topic: 'attest.readiness.events.v1',
      prevHash: checkpoint.headHash,
    });
  });
});
