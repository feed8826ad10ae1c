import request from 'supertest';
import { RequestValidationError, RequestValidationPipe } from '../request-validation';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import {
  cursorKey,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  keyPart,
  PageQueryDto,
  pageOf,
  stringKey,
} from './pagination';

describe('cursors', () => {
  it('hold the sort key as base64url JSON and come back as they went', () => {
    const cursor = encodeCursor(['2025-01-02T00:00:00.000Z', 'qn-0002']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, stringKey(2))).toEqual(['2025-01-02T00:00:00.000Z', 'qn-0002']);
  });

  it.each([
    ['not base64url', '***'],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['not a key', encodeCursor([1, 2] as never)],
    ['another shape', encodeCursor(['only-one'])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuses a cursor that is %s as one this list did not issue', (_what, cursor) => {
    expect(() => decodeCursor(cursor, stringKey(2))).toThrow(InvalidCursorError);
  });
});

describe('cursorKey', () => {
  const isKey = cursorKey<[number, string, string, string, string]>(
    keyPart.integer(0, 3),
    keyPart.instant,
    keyPart.day,
    keyPart.text,
    keyPart.uuid,
  );
  const key = [
    2,
    '2026-05-04T10:00:00.000Z',
    '2026-02-28',
    'Access reviews',
    '0b6d7f9e-2c4a-4e8b-9f1d-3a5c7e9b1d2f',
  ];

  it('admits the keys the service writes', () => {
    expect(decodeCursor(encodeCursor(key), isKey)).toEqual(key);
    expect(isKey([0, '0001-01-01T00:00:00.000Z', '9999-12-31', '', key[4]])).toBe(true);
  });

  it.each([
    ['an integer out of range', 0, 4],
    ['a fraction', 0, 1.5],
    ['an instant that does not cast', 1, 'yesterday'],
    ['an instant in another form', 1, '2026-05-04T10:00:00Z'],
    ['an instant in year 0', 1, '0000-01-01T00:00:00.000Z'],
    ['a day that does not exist', 2, '2026-02-30'],
    ['a day in year 0', 2, '0000-12-31'],
    ['text with NUL', 3, 'a\u0000b'],
    ['a uuid in upper case', 4, '0B6D7F9E-2C4A-4E8B-9F1D-3A5C7E9B1D2F'],
    ['not a uuid', 4, 'qn-0001'],
  ])('refuses a key with %s as a forged cursor', (_what, index, value) => {
    const forged = key.map((part, i) => (i === index ? value : part));
    expect(isKey(forged)).toBe(false);
    expect(() => decodeCursor(encodeCursor(forged), isKey)).toThrow(InvalidCursorError);
  });

  it('refuses a key of another length', () => {
    expect(isKey(key.slice(0, 4))).toBe(false);
    expect(isKey([...key, 'more'])).toBe(false);
  });
});

describe('pageOf', () => {
  const rows = ['a', 'b', 'c', 'd'];
  const keyOf = (s: string) => [s, s];

  it('returns up to limit items and a next link with the same query and the cursor after the last', () => {
    const page = pageOf(rows, 3, keyOf, { originalUrl: '/v1/things?status=open&limit=3&cursor=old' });
    expect(page.items).toEqual(['a', 'b', 'c']);
    expect(page.next).toBe(`/v1/things?status=open&limit=3&cursor=${encodeCursor(['c', 'c'])}`);
  });

  it('has no next link on the last page', () => {
    expect(pageOf(rows.slice(0, 3), 3, keyOf, { url: '/v1/things' })).toEqual({
      items: ['a', 'b', 'c'],
      next: null,
    });
    expect(pageOf([], 3, keyOf, { url: '/v1/things' })).toEqual({ items: [], next: null });
  });
});

describe('PageQueryDto', () => {
  const pipe = new RequestValidationPipe();
  const query = { type: 'query' as const, metatype: PageQueryDto };

  it('defaults limit to 50 and converts it from the query string', async () => {
    expect(await pipe.transform({}, query)).toEqual(Object.assign(new PageQueryDto(), { limit: 50 }));
    expect(await pipe.transform({ limit: '100', cursor: 'abc_-' }, query)).toMatchObject({
      limit: 100,
      cursor: 'abc_-',
    });
  });

  it.each([
    { limit: '0' },
    { limit: '101' },
    { limit: '2.5' },
    { limit: 'ten' },
    { cursor: 'a'.repeat(513) },
    { cursor: 'a b' },
  ])('refuses %j', async (value) => {
    await expect(pipe.transform(value, query)).rejects.toBeInstanceOf(RequestValidationError);
  });
});

describe('a paged list over HTTP', () => {
  let running: RunningTestApp;
  let auth: string;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
    auth = await running.bearer();
    for (let i = 1; i <= 7; i++)
      await request(running.app.getHttpServer())
        .post('/v1/questionnaires')
        .set('Authorization', auth)
        .send({ title: `Q${i}` })
        .expect(201);
  });
  afterAll(() => running.app.close());

  const get = (path: string) => request(running.app.getHttpServer()).get(path).set('Authorization', auth);

  it('walks every item once, in a stable order, following next links', async () => {
    const seen: string[] = [];
    let next: string | null = '/v1/questionnaires?limit=3';
    const pages: number[] = [];
    while (next) {
      const res = await get(next);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      pages.push(res.body.items.length);
      next = res.body.next;
      if (next) expect(next).toMatch(/^\/v1\/questionnaires\?limit=3&cursor=[A-Za-z0-9_-]+$/);
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(['qn-0001', 'qn-0002', 'qn-0003', 'qn-0004', 'qn-0005', 'qn-0006', 'qn-0007']);
  });

  it('keeps the filters in the next link', async () => {
    const first = await get('/v1/questionnaires?status=open&limit=2');
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(['qn-0001', 'qn-0002']);
    const second = await get(first.body.next);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(['qn-0004', 'qn-0005']);
  });

  it('pages by 50 by default, refuses a limit over 100 with 400 and a forged cursor with 422', async () => {
    expect((await get('/v1/questionnaires')).body).toMatchObject({ next: null });
    expect((await get('/v1/questionnaires')).body.items).toHaveLength(7);
    const tooMany = await get('/v1/questionnaires?limit=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ pointer: '/limit', in: 'query' })]);
    const forged = await get(`/v1/questionnaires?cursor=${Buffer.from('{"x":1}').toString('base64url')}`);
    expect(forged.status).toBe(422);
    expect(forged.body).toMatchObject({ type: 'urn:attest:problem:invalid-cursor' });
    expect((await get('/v1/questionnaires?cursor=***')).status).toBe(400);
  });
});
