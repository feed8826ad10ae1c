import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ABOUT_BLANK,
  domainErrorStatusOf,
  domainProblemType,
  PROBLEM_TYPE_PREFIX,
  PROBLEM_TYPES,
  problemSlugForStatus,
  ProblemType,
} from './problem-types';

describe('the problem type registry', () => {
  const entries = Object.entries(PROBLEM_TYPES);

  it('names each type urn:attest:problem:<slug>, once, with a title, a 4xx/5xx status and a description', () => {
    for (const [slug, definition] of entries) {
      expect(definition.type).toBe(PROBLEM_TYPE_PREFIX + slug);
      expect(definition.title).toMatch(/^[A-Z]/);
      expect(definition.status).toBeGreaterThanOrEqual(400);
      expect(definition.status).toBeLessThan(600);
      expect(definition.description.length).toBeGreaterThan(10);
    }
    expect(new Set(entries.map(([, d]) => d.type)).size).toBe(entries.length);
  });

  it('has the statuses of the conventions', () => {
    const status = Object.fromEntries(entries.map(([slug, d]) => [slug, d.status]));
    expect(status).toMatchObject({
      validation: 400,
      'malformed-body': 400,
      unauthenticated: 401,
      forbidden: 403,
      'not-found': 404,
      'method-not-allowed': 405,
      concurrency: 409,
      'idempotency-key-in-flight': 409,
      'precondition-failed': 412,
      'payload-too-large': 413,
      'unsupported-media-type': 415,
      'idempotency-key-reused': 422,
      unprocessable: 422,
      'rate-limited': 429,
      internal: 500,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(PROBLEM_TYPES)).toBe(true);
    expect(Object.isFrozen(PROBLEM_TYPES.validation)).toBe(true);
  });

  it('gives camelCase names to the type URIs', () => {
    expect(ProblemType.malformedBody).toBe('urn:attest:problem:malformed-body');
    expect(ProblemType.idempotencyKeyReused).toBe('urn:attest:problem:idempotency-key-reused');
    expect(ProblemType.domainPrefix).toBe('urn:attest:problem:domain:');
    expect(ProblemType.aboutBlank).toBe(ABOUT_BLANK);
  });

  it('answers a plain HTTP status with its general type, or none', () => {
    expect(problemSlugForStatus(404)).toBe('not-found');
    expect(problemSlugForStatus(409)).toBe('conflict');
    expect(problemSlugForStatus(418)).toBeUndefined();
  });

  it('answers domain refusals: 404 as not-found, others as domain:<code>; not-found is 404 unless mapped', () => {
    expect(domainProblemType('risk-not-found', 404)).toEqual({
      type: 'urn:attest:problem:not-found',
      title: 'Not found',
    });
    expect(domainProblemType('risk-closed', 409).type).toBe('urn:attest:problem:domain:risk-closed');
    expect(domainProblemType('bad-date', 422).title).toBe(PROBLEM_TYPES.unprocessable.title);
    expect(domainErrorStatusOf('not-found')).toBe(404);
    expect(domainErrorStatusOf('risk-closed')).toBe(409);
    expect(domainErrorStatusOf('bad-date', { 'bad-date': 422 })).toBe(422);
  });
});

describe('docs/api/conventions.md', () => {
  const conventions = readFileSync(join(__dirname, '../../../../docs/api/conventions.md'), 'utf8');

  it('lists every problem type of the registry with its status and title, and no other', () => {
    const documented = [
      ...conventions.matchAll(/^\| `(urn:attest:problem:[a-z-]+)` \| (\d{3}) \| ([^|]+) \|/gm),
    ].map(([, type, status, title]) => ({ type, status: Number(status), title: title.trim() }));
    expect(documented).toEqual(
      Object.values(PROBLEM_TYPES).map(({ type, status, title }) => ({ type, status, title })),
    );
  });
});
