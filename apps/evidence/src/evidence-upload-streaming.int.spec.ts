import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  ACME,
  knowControls,
  requestHeaders,
  startEvidence,
  USERS,
  type RunningEvidence,
} from './testing/evidence-test-app';

jest.setTimeout(300_000);

const MiB = 1024 * 1024;
/** Large enough that holding it would show plainly next to the process's normal churn. */
const FILE_BYTES = 128 * MiB;
/** What the upload may add to the process's memory at its peak: buffers and the parser's, not the file. */
const ALLOWED_GROWTH = 48 * MiB;

/** A CSV of `total` bytes, generated chunk by chunk, and its SHA-256 computed on the way. */
function generatedCsv(total: number): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  const line = Buffer.from('user@acme.example,engineer,2026-03-01,granted\n');
  const chunk = Buffer.concat(Array.from({ length: Math.ceil((64 * 1024) / line.length) }, () => line));
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += part.length;
      hash.update(part);
      this.push(part);
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hash.digest('hex')) };
}

/** Memory the process holds in JavaScript objects and buffers (what holding a file would grow). */
const held = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * An upload is streamed from the request into the content store while it is hashed, never held whole: a 128 MiB
 * file sent as a stream (client and service in this process) leaves the process's held memory within a bound far
 * below the file's size, and the stored bytes hash to what was sent.
 */
describe('uploads stream (PostgreSQL, filesystem content store)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const controlId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_streaming');
    service = await startEvidence({ pool: db.pool });
    await knowControls(db.pool, ACME, [
      { controlId, code: 'AC-03', name: 'Access reviews', frequency: 'quarterly', criteria: ['CC6.1'] },
    ]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it(`stores a ${FILE_BYTES / MiB} MiB upload without holding it in memory`, async () => {
    const server = service.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = `attest-${randomBytes(8).toString('hex')}`;
    const metadata = {
      title: 'Access log export',
      evidenceType: 'log-export',
      controlIds: [controlId],
      period: { from: '2026-01-01', to: '2026-03-31' },
    };
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n` +
        `${JSON.stringify(metadata)}\r\n--${boundary}\r\n` +
        'Content-Disposition: form-data; name="file"; filename="access-log.csv"\r\nContent-Type: text/csv\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const file = generatedCsv(FILE_BYTES);
    const body = Readable.from(
      (async function* () {
        yield head;
        for await (const chunk of file.stream) yield chunk as Buffer;
        yield tail;
      })(),
    );

    global.gc?.();
    const baseline = held();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, held())), 5);
    const headers = await requestHeaders(USERS.manager);
    const answer = await new Promise<{
      status: number;
      body: { content: { sha256: string; sizeBytes: number } };
    }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/evidence-items',
          headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      body.pipe(req);
    });
    clearInterval(sampler);

    expect(answer.status).toBe(201);
    expect(answer.body.content).toMatchObject({ sha256: file.sha256(), sizeBytes: FILE_BYTES });
    expect(await service.contentStore.stat(file.sha256())).toEqual({ sizeBytes: FILE_BYTES });
    // In MiB, so a failure says by how much.
    expect(Math.round((peak - baseline) / MiB)).toBeLessThan(ALLOWED_GROWTH / MiB);
  });
});
