import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { ContentStore } from '@attest/evidence-storage';
import { scratchS3ContentStore } from '@attest/evidence-storage/testing';
import { csvFile, pdfFile, pngFile } from './testing/evidence-files';
import {
  ACME,
  GLOBEX,
  grantEngagement,
  knowControls,
  multipart,
  sendUpload,
  startEvidence,
  storeDump,
  USERS,
  type RunningEvidence,
  type UserClient,
} from './testing/evidence-test-app';

jest.setTimeout(180_000);

/** Small, so that "over the limit" is quick to send; large enough for every legitimate file here. */
const MAX_UPLOAD_BYTES = 64 * 1024;

const acmeControl = {
  controlId: randomUUID(),
  code: 'AC-03',
  catalogControlId: 'AC-03',
  name: 'Access reviews',
  frequency: 'quarterly' as const,
  criteria: ['CC6.1'],
};
const globexControl = { ...acmeControl, controlId: randomUUID() };

const metadata = (overrides: Record<string, unknown> = {}) => ({
  title: 'Q1 access review',
  evidenceType: 'report',
  controlIds: [acmeControl.controlId],
  period: { from: '2026-01-01', to: '2026-03-31' },
  ...overrides,
});

const problem = (res: Response) => ({ status: res.status, type: res.body.type, code: res.body.code });

/** The content stores the service runs on: a temporary directory, and a fresh prefix of the local S3 bucket. */
const STORES: [name: string, open: () => { store?: ContentStore; dispose(): Promise<void> }][] = [
  ['filesystem', () => ({ dispose: async () => undefined })],
  ['S3 (SeaweedFS)', () => scratchS3ContentStore()],
];

/**
 * The upload abuse list of issue 11: each attempt is refused with a clear 4xx problem, and nothing is stored — the
 * content store's keys (temporaries included) and the event store (events, every tenant's chain head) are the same
 * before and after, on either content store.
 */
describe.each(STORES)('refused uploads store nothing (PostgreSQL, %s content store)', (_name, open) => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let manager: UserClient;
  let acmeItem: { itemId: string; etag: string };
  let content: ReturnType<typeof open>;

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_abuse');
    content = open();
    service = await startEvidence({
      pool: db.pool,
      maxUploadBytes: MAX_UPLOAD_BYTES,
      ...(content.store ? { contentStore: content.store } : {}),
    });
    manager = service.as(USERS.manager);
    await knowControls(db.pool, ACME, [acmeControl]);
    await knowControls(db.pool, GLOBEX, [globexControl]);
    await grantEngagement(db.pool, ACME, { engagementId: randomUUID(), controlIds: [acmeControl.controlId] });
    const created = await sendUpload(manager.post('/evidence-items'), metadata(), pdfFile()).expect(201);
    acmeItem = { itemId: created.body.itemId, etag: created.headers.etag };
  });

  afterAll(async () => {
    await service?.close();
    await content?.dispose();
    await db?.drop();
  });

  /** Sends the attempt and expects its refusal, with nothing stored anywhere. */
  const refused = async (attempt: () => Promise<Response>, expected: ReturnType<typeof problem>) => {
    const before = await storeDump(db.pool, service.contentStore);
    const res = await attempt();
    expect(problem(res)).toEqual(expected);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
    return res;
  };

  it('refuses a file over the size limit (413), having stored none of it', async () => {
    const big = csvFile(4000, 'export.csv');
    expect(big.bytes.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    const res = await refused(() => sendUpload(manager.post('/evidence-items'), metadata(), big), {
      status: 413,
      type: 'urn:attest:problem:domain:content-too-large',
      code: 'content-too-large',
    });
    expect(res.body.details).toEqual({ limitBytes: MAX_UPLOAD_BYTES });
    // A file of exactly the limit is accepted.
    const exact = { ...big, bytes: big.bytes.subarray(0, MAX_UPLOAD_BYTES) };
    await sendUpload(manager.post('/evidence-items'), metadata(), exact).expect(201);
  });

  it.each([
    ['../../etc/passwd'],
    ['..\\..\\windows\\win.ini'],
    ['/etc/passwd'],
    ['.htaccess'],
    ['report\u202Efdp.exe'],
    ['..'],
  ])('refuses the unsafe file name %j (400) without renaming it', async (fileName) => {
    await refused(() => sendUpload(manager.post('/evidence-items'), metadata(), { ...pdfFile(), fileName }), {
      status: 400,
      type: 'urn:attest:problem:domain:unsafe-file-name',
      code: 'unsafe-file-name',
    });
  });

  it('refuses content whose magic bytes say another type than declared (a PNG sent as a PDF)', async () => {
    await refused(
      () => sendUpload(manager.post('/evidence-items'), metadata(), pngFile('scan.pdf', 'application/pdf')),
      { status: 422, type: 'urn:attest:problem:domain:content-type-mismatch', code: 'content-type-mismatch' },
    );
    // Binary bytes declared as text are refused the same way.
    await refused(
      () => sendUpload(manager.post('/evidence-items'), metadata(), pngFile('notes.txt', 'text/plain')),
      { status: 422, type: 'urn:attest:problem:domain:content-type-mismatch', code: 'content-type-mismatch' },
    );
  });

  it('refuses a media type evidence may not have (415)', async () => {
    await refused(
      () =>
        sendUpload(manager.post('/evidence-items'), metadata(), {
          bytes: Buffer.from('MZ\x90\x00', 'latin1'),
          fileName: 'tool.exe',
          mediaType: 'application/x-msdownload',
        }),
      {
        status: 415,
        type: 'urn:attest:problem:domain:unsupported-media-type',
        code: 'unsupported-media-type',
      },
    );
  });

  it('refuses an unknown control id, and another tenant’s control, before reading the file (422)', async () => {
    for (const controlId of [randomUUID(), globexControl.controlId])
      await refused(
        () => sendUpload(manager.post('/evidence-items'), metadata({ controlIds: [controlId] }), pdfFile()),
        { status: 422, type: 'urn:attest:problem:domain:unknown-control', code: 'unknown-control' },
      );
  });

  it('answers another tenant’s item as one that does not exist (404), storing none of the new version', async () => {
    const globex = service.as(USERS.globexManager);
    const asAbsent = await refused(
      () =>
        sendUpload(
          globex.post(`/evidence-items/${randomUUID()}/versions`),
          { period: { from: '2026-04-01', to: '2026-06-30' } },
          csvFile(2, 'mine.csv'),
        ),
      { status: 404, type: 'urn:attest:problem:not-found', code: 'evidence-item-not-found' },
    );
    await refused(
      () =>
        sendUpload(
          globex.post(`/evidence-items/${acmeItem.itemId}/versions`),
          { period: { from: '2026-04-01', to: '2026-06-30' } },
          csvFile(2, 'mine.csv'),
        ),
      problem(asAbsent),
    );
    for (const path of [
      `/evidence-items/${acmeItem.itemId}`,
      `/evidence-items/${acmeItem.itemId}/versions`,
      `/evidence-items/${acmeItem.itemId}/versions/1`,
      `/evidence-items/${acmeItem.itemId}/versions/1/content`,
    ])
      await refused(() => globex.get(path), problem(asAbsent));
    await refused(
      () => globex.put(`/evidence-items/${acmeItem.itemId}/controls/${globexControl.controlId}`),
      problem(asAbsent),
    );
  });

  it('refuses an auditor’s write (403) before reading the upload', async () => {
    const auditor = service.as(USERS.auditor);
    await refused(() => sendUpload(auditor.post('/evidence-items'), metadata(), pdfFile()), {
      status: 403,
      type: 'urn:attest:problem:forbidden',
      code: undefined,
    });
    await refused(
      () =>
        sendUpload(
          auditor.post(`/evidence-items/${acmeItem.itemId}/versions`),
          { period: { from: '2026-04-01', to: '2026-06-30' } },
          pdfFile(),
        ),
      { status: 403, type: 'urn:attest:problem:forbidden', code: undefined },
    );
    await refused(() => auditor.put(`/evidence-items/${acmeItem.itemId}/controls/${acmeControl.controlId}`), {
      status: 403,
      type: 'urn:attest:problem:forbidden',
      code: undefined,
    });
    // The auditor reads.
    await auditor.get(`/evidence-items/${acmeItem.itemId}`).expect(200);
  });

  it('refuses malformed uploads with a validation problem pointing at the part', async () => {
    const invalid = { status: 400, type: 'urn:attest:problem:validation', code: undefined };
    const file = pdfFile();
    const send = (parts: Parameters<typeof multipart>[0]) => {
      const { contentType, body } = multipart(parts);
      return manager.post('/evidence-items').set('Content-Type', contentType).send(body);
    };
    const filePart = {
      name: 'file',
      value: file.bytes,
      fileName: file.fileName,
      contentType: file.mediaType,
    };
    const metadataPart = { name: 'metadata', value: JSON.stringify(metadata()) };
    // The file before its metadata: nothing may be stored before the metadata is accepted.
    await refused(() => send([filePart, metadataPart]), {
      status: 422,
      type: 'urn:attest:problem:domain:metadata-part-must-come-first',
      code: 'metadata-part-must-come-first',
    });
    await refused(() => send([metadataPart]), invalid);
    await refused(() => send([{ name: 'metadata', value: '{not json' }, filePart]), invalid);
    const missingTitle = await refused(
      () => send([{ name: 'metadata', value: JSON.stringify(metadata({ title: undefined })) }, filePart]),
      invalid,
    );
    expect(missingTitle.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/metadata/title');
    await refused(() => send([metadataPart, filePart, { ...filePart, name: 'file2' }]), invalid);
    await refused(
      () => send([{ name: 'metadata', value: JSON.stringify(metadata({ criteria: ['XX9.9'] })) }, filePart]),
      invalid,
    );
    // Not multipart at all.
    await refused(() => manager.post('/evidence-items').send(metadata()), {
      status: 415,
      type: 'urn:attest:problem:unsupported-media-type',
      code: undefined,
    });
  });
});
