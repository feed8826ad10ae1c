import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { readBundleArchive, type EvidenceBundleStatement } from '@attest/evidence-bundle';
import { FilesystemContentStore } from '@attest/evidence-storage';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import { attestVerify, binary, REPO_ROOT } from '../testing/attest-verify';
import { csvFile, pdfFile } from '../testing/evidence-files';
import {
  ACME,
  grantEngagement,
  knowControls,
  sendUpload,
  startEvidence,
  storeDump,
  USERS,
  type RunningEvidence,
  type UserClient,
} from '../testing/evidence-test-app';

jest.setTimeout(240_000);

const DSSE_PYTHON = join(REPO_ROOT, '.local', 'dsse-verifier', 'bin', 'python');

const accessReviews = {
  controlId: randomUUID(),
  code: 'AC-03',
  catalogControlId: 'AC-03',
  name: 'Access reviews',
  frequency: 'quarterly' as const,
  criteria: ['CC6.1', 'CC6.2'],
};

const metadata = (title: string, tags: string[] = []) => ({
  title,
  evidenceType: 'report',
  controlIds: [accessReviews.controlId],
  period: { from: '2026-01-01', to: '2026-03-31' },
  tags,
});

/** Chain of custody through the service (PostgreSQL, filesystem content store) and the offline verifier. */
describe('evidence chain of custody', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let manager: UserClient;
  let auditor: UserClient;
  let contentDir: string;
  let work: string;
  const clock = settableClock('2026-04-02T09:00:00.000Z');
  const items: Record<string, { itemId: string; sha256: string }> = {};

  beforeAll(async () => {
    contentDir = await mkdtemp(join(tmpdir(), 'attest-custody-content-'));
    work = await mkdtemp(join(tmpdir(), 'attest-custody-'));
    db = await createTestDatabase('attest_ev_custody');
    service = await startEvidence({
      pool: db.pool,
      clock,
      contentStore: new FilesystemContentStore(contentDir),
    });
    manager = service.as(USERS.manager);
    auditor = service.as(USERS.auditor);
    await knowControls(db.pool, ACME, [accessReviews]);
    // The auditor reaches acme through an engagement whose scope holds the control.
    await grantEngagement(db.pool, ACME, {
      engagementId: randomUUID(),
      controlIds: [accessReviews.controlId],
    });
    for (const [name, file] of [
      ['review', pdfFile()],
      ['users', csvFile(5, 'users-q1.csv')],
    ] as const) {
      const res = await sendUpload(manager.post('/evidence-items'), metadata(name, [name]), file).expect(201);
      items[name] = { itemId: res.body.itemId, sha256: res.body.content.sha256 };
    }
    const v2 = csvFile(7, 'users-q2.csv');
    const res = await sendUpload(
      manager.post(`/evidence-items/${items['users'].itemId}/versions`).set('If-Match', '"1"'),
      { period: { from: '2026-04-01', to: '2026-06-30' } },
      v2,
    ).expect(201);
    items['users'] = { itemId: items['users'].itemId, sha256: res.body.content.sha256 };
    const jwks = await request(service.app.getHttpServer())
      .get('/.well-known/attest/signing-keys')
      .expect(200);
    await writeFile(join(work, 'jwks.json'), JSON.stringify(jwks.body));
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
    await rm(contentDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  async function issueAndDownload(selection: object, name: string) {
    const issued = await auditor.post('/evidence-bundles').send(selection).expect(201);
    const archive = await auditor
      .get(`/evidence-bundles/${issued.body.bundleId}/archive`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const path = join(work, `${name}.tar.gz`);
    await writeFile(path, archive.body as Buffer);
    const contents = await readBundleArchive(Readable.from([archive.body as Buffer]));
    const envelope = JSON.parse(contents.manifest!.toString('utf8'));
    const statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString('utf8'),
    ) as EvidenceBundleStatement;
    return { bundle: issued.body, archive: archive.headers, path, statement, manifest: contents.manifest! };
  }

  async function storedPath(sha256: string): Promise<string> {
    const walk = async (dir: string): Promise<string | null> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          const found = await walk(path);
          if (found) return found;
        } else if (entry.name === sha256) return path;
      }
      return null;
    };
    const found = await walk(contentDir);
    if (!found) throw new Error(`content ${sha256} is not in ${contentDir}`);
    return found;
  }

  const chainVerification = () => manager.get('/event-chain/verification').expect(200);

  it('publishes the signing keys at the well-known URI, outside /v1 and without a token, cacheable', async () => {
    const res = await request(service.app.getHttpServer())
      .get('/.well-known/attest/signing-keys')
      .expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.keys.length).toBeGreaterThan(0);
    expect(res.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
  });

  it("lets an auditor issue a bundle that attest-verify verifies offline, and securesystemslib's DSSE too", async () => {
    const { bundle, archive, path, statement, manifest } = await issueAndDownload(
      { controlIds: [accessReviews.controlId] },
      'by-control',
    );
    expect(archive['content-type']).toBe('application/gzip');
    expect(bundle).toMatchObject({
      selection: { controlIds: [accessReviews.controlId] },
      issuedBy: { type: 'user' },
    });
    expect(bundle.items).toEqual(
      expect.arrayContaining([
        { itemId: items['review'].itemId, version: 1, sha256: items['review'].sha256 },
        { itemId: items['users'].itemId, version: 2, sha256: items['users'].sha256 },
      ]),
    );
    expect(statement.subject.map((s) => s.name).sort()).toEqual(
      [
        'chain/events.jsonl',
        `files/${items['review'].itemId}/v1/access-review.pdf`,
        `files/${items['users'].itemId}/v2/users-q2.csv`,
      ].sort(),
    );
    expect((await auditor.get(`/evidence-bundles/${bundle.bundleId}`).expect(200)).body).toEqual(bundle);

    const verified = attestVerify([path, '--keys', join(work, 'jwks.json')]);
    expect(verified).toMatchObject({ status: 0, stderr: '' });
    expect(verified.stdout).toMatch(/ok {3}signature\n[\s\S]*ok {3}chain\n[\s\S]*VERIFIED\n$/);

    if (!existsSync(DSSE_PYTHON))
      throw new Error(
        'the DSSE verifier is not installed: run `bash tools/attest-verify/ensure-dsse-verifier.sh`',
      );
    await writeFile(join(work, 'manifest.dsse.json'), manifest);
    const python = spawnSync(
      DSSE_PYTHON,
      [
        join(REPO_ROOT, 'tools/attest-verify/verify-dsse.py'),
        join(work, 'manifest.dsse.json'),
        join(work, 'jwks.json'),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: python.status, result: JSON.parse(python.stdout) }).toEqual({
      status: 0,
      result: { verified: true, keyids: [bundle.keyId], payloadType: 'application/vnd.in-toto+json' },
    });
  });

  it('refuses an empty selection (422) and another tenant’s item (404), signing and storing nothing', async () => {
    const before = await storeDump(db.pool, service.contentStore);
    await auditor
      .post('/evidence-bundles')
      .send({ tags: ['no-such-tag'] })
      .expect(422);
    await service
      .as(USERS.globexManager)
      .post('/evidence-bundles')
      .send({ itemIds: [items['review'].itemId] })
      .expect(404);
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
  });

  it('names the item version and the bundle file whose stored bytes were altered', async () => {
    const path = await storedPath(items['review'].sha256);
    const original = await readFile(path);
    const altered = Buffer.from(original);
    altered[10] ^= 0x01;
    const { path: archivePath } = await issueAndDownload({ itemIds: [items['review'].itemId] }, 'review');
    await writeFile(path, altered);
    try {
      const check = await manager.get(`/evidence-items/${items['review'].itemId}/verification`).expect(200);
      expect(check.body).toMatchObject({
        ok: false,
        versions: [
          {
            version: 1,
            content: {
              ok: false,
              problem: expect.stringMatching(/^the stored content of version 1 hashes to /),
            },
            chain: { ok: true },
          },
        ],
      });
      // The bundle downloaded now carries the altered bytes: the verifier names the file.
      const { path: again } = await issueAndDownload({ itemIds: [items['review'].itemId] }, 'review-altered');
      const failed = attestVerify([again, '--keys', join(work, 'jwks.json')]);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(
        `FAIL files\n     files/${items['review'].itemId}/v1/access-review.pdf: SHA-256`,
      );
      // The one downloaded before the change still verifies: the auditor's copy is the evidence.
      expect(attestVerify([archivePath, '--keys', join(work, 'jwks.json')]).status).toBe(0);
    } finally {
      await writeFile(path, original);
    }
    expect(
      (await manager.get(`/evidence-items/${items['review'].itemId}/verification`).expect(200)).body.ok,
    ).toBe(true);
  });

  describe('names the first bad position when an evidence event is changed in SQL', () => {
    let target: { event_id: string; tenant_sequence: string; global_position: string; data: unknown };

    beforeAll(async () => {
      expect((await chainVerification()).body).toMatchObject({ ok: true });
      const r = await db.pool.query(
        `SELECT event_id, tenant_sequence, global_position, data FROM event_store.events
         WHERE tenant_id = $1 AND event_type = 'EvidenceSubmitted' ORDER BY tenant_sequence DESC LIMIT 1`,
        [ACME],
      );
      target = r.rows[0];
    });

    it('an altered event', async () => {
      await db.pool.query(
        `UPDATE event_store.events SET data = jsonb_set(data, '{title}', '"edited"') WHERE event_id = $1`,
        [target.event_id],
      );
      try {
        expect((await chainVerification()).body).toMatchObject({
          ok: false,
          failure: {
            reason: 'hash-mismatch',
            tenantSequence: Number(target.tenant_sequence),
            eventId: target.event_id,
            globalPosition: Number(target.global_position),
          },
        });
      } finally {
        await db.pool.query('UPDATE event_store.events SET data = $2 WHERE event_id = $1', [
          target.event_id,
          target.data,
        ]);
      }
      expect((await chainVerification()).body).toMatchObject({ ok: true });
    });

    it('a deleted event', async () => {
      const seq = Number(target.tenant_sequence);
      await db.pool.query(
        'CREATE TABLE public.deleted_event AS SELECT * FROM event_store.events WHERE event_id = $1',
        [target.event_id],
      );
      await db.pool.query('DELETE FROM event_store.events WHERE event_id = $1', [target.event_id]);
      try {
        expect((await chainVerification()).body).toMatchObject({
          ok: false,
          failure: { reason: 'sequence-gap', tenantSequence: seq + 1, expected: String(seq) },
        });
      } finally {
        await db.pool.query(
          'INSERT INTO event_store.events OVERRIDING SYSTEM VALUE SELECT * FROM public.deleted_event',
        );
        await db.pool.query('DROP TABLE public.deleted_event');
      }
      expect((await chainVerification()).body).toMatchObject({ ok: true });
    });

    it('two events swapped', async () => {
      const seq = Number(target.tenant_sequence);
      const swap = async () => {
        await db.pool.query(
          `UPDATE event_store.events SET tenant_sequence = -1 WHERE tenant_id = $1 AND tenant_sequence = $2`,
          [ACME, seq],
        );
        await db.pool.query(
          `UPDATE event_store.events SET tenant_sequence = $2 WHERE tenant_id = $1 AND tenant_sequence = $3`,
          [ACME, seq, seq + 1],
        );
        await db.pool.query(
          `UPDATE event_store.events SET tenant_sequence = $2 WHERE tenant_id = $1 AND tenant_sequence = -1`,
          [ACME, seq + 1],
        );
      };
      await swap();
      try {
        expect((await chainVerification()).body).toMatchObject({
          ok: false,
          failure: { reason: 'broken-link', tenantSequence: seq },
        });
      } finally {
        await swap();
      }
      expect((await chainVerification()).body).toMatchObject({ ok: true });
    });
  });

  it('catches a truncated chain: the service against its checkpoint, attest-verify against an earlier bundle’s', async () => {
    // A bundle the auditor keeps: its checkpoint holds the head as it was.
    const kept = await issueAndDownload({ itemIds: [items['users'].itemId] }, 'kept');
    await writeFile(
      join(work, 'earlier-checkpoint.json'),
      JSON.stringify(kept.statement.predicate.checkpoint),
    );
    const keptSequence = kept.statement.predicate.checkpoint.tenantSequence;
    // Someone cuts the chain back below that checkpoint and moves the head.
    const cut = keptSequence - 1;
    const head = await db.pool.query(
      'SELECT hash FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence = $2',
      [ACME, cut],
    );
    await db.pool.query('DELETE FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence > $2', [
      ACME,
      cut,
    ]);
    await db.pool.query(
      'UPDATE event_store.tenant_chains SET last_sequence = $2, last_hash = $3 WHERE tenant_id = $1',
      [ACME, cut, head.rows[0].hash],
    );
    expect((await chainVerification()).body).toMatchObject({
      ok: false,
      checkpoint: { tenantSequence: expect.any(Number), ok: false },
      failure: { reason: 'truncated' },
    });

    // Covering the tracks (the service's checkpoints deleted too) fools the service, not the auditor's copy.
    await db.pool.query(
      'DELETE FROM event_store.chain_checkpoints WHERE tenant_id = $1 AND tenant_sequence > $2',
      [ACME, cut],
    );
    const later = await issueAndDownload({ itemIds: [items['review'].itemId] }, 'after-truncation');
    expect(attestVerify([later.path, '--keys', join(work, 'jwks.json')]).status).toBe(0);
    const caught = attestVerify([
      later.path,
      '--keys',
      join(work, 'jwks.json'),
      '--checkpoint',
      join(work, 'earlier-checkpoint.json'),
    ]);
    expect(caught.status).toBe(1);
    expect(caught.stdout).toMatch(
      new RegExp(`FAIL earlier-checkpoint\\n {5}the checkpoint at sequence ${keptSequence} .*: truncated`),
    );
  });
});
