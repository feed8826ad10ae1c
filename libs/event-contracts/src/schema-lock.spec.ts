import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemasByCeType } from './event-catalog';
import type { JsonSchema } from './json-schema';
import { schemaCompatibilityIssues } from './schema-compatibility';
import {
  LOCK_COMMAND,
  lockRefusals,
  parseSchemaLock,
  reviewAgainstLock,
  SCHEMA_LOCK_COMMENT,
  schemaLockJson,
  updatedLock,
  type SchemaLock,
} from './schema-lock';

const lockPath = join(__dirname, '..', 'schemas.lock.json');

describe('schemas.lock.json (the released event contracts)', () => {
  const lock = parseSchemaLock(JSON.parse(readFileSync(lockPath, 'utf8')));
  const current = eventSchemasByCeType();

  it('still has every released event type', () => {
    const removed = Object.keys(lock.eventTypes).filter((t) => !(t in current));
    if (removed.length)
      throw new Error(
        `Released event types disappeared: ${removed.join(', ')}. Consumers depend on them; keep publishing them ` +
          'until every consumer has moved to the new version, and at least 6 months (docs/events/README.md).',
      );
  });

  it.each(Object.keys(lock.eventTypes).filter((t) => t in current))(
    '%s changed only compatibly since its release',
    (ceType) => {
      const issues = schemaCompatibilityIssues(lock.eventTypes[ceType], current[ceType]);
      if (issues.length)
        throw new Error(
          [
            `${ceType} changed incompatibly for its consumers:`,
            ...issues.map((i) => `  ${i.path}: ${i.message} [${i.rule}]`),
            'Revert the change, or publish it as a new versioned type (e.g. .v2) beside this one.',
          ].join('\n'),
        );
    },
  );

  it('has every event type', () => {
    const unlocked = Object.keys(current).filter((t) => !(t in lock.eventTypes));
    if (unlocked.length)
      throw new Error(
        `Event types not in libs/event-contracts/schemas.lock.json yet: ${unlocked.join(', ')}.\n` +
          `Run \`${LOCK_COMMAND}\` to add them (it refuses incompatible changes), then commit the lock.`,
      );
  });

  it('records every compatible change that was made', () => {
    const review = reviewAgainstLock(lock, current);
    if (review.changed.length)
      throw new Error(
        `Compatible changes not recorded in schemas.lock.json: ${review.changed.join(', ')}.\n` +
          `Run \`${LOCK_COMMAND}\` so later changes are checked against them.`,
      );
  });
});

describe('lock review', () => {
  const schema = (extra: Record<string, JsonSchema> = {}, required: string[] = ['a']): JsonSchema => ({
    type: 'object',
    required,
    properties: { a: { type: 'string', description: 'A.' }, ...extra },
  });
  const lockOf = (eventTypes: Record<string, JsonSchema>): SchemaLock => ({
    $comment: SCHEMA_LOCK_COMMENT,
    eventTypes,
  });

  it('sorts types into added, changed, reworded, incompatible and removed', () => {
    const lock = lockOf({
      'io.attest.test.same.v1': schema(),
      'io.attest.test.grown.v1': schema(),
      'io.attest.test.reworded.v1': schema(),
      'io.attest.test.broken.v1': schema(),
      'io.attest.test.gone.v1': schema(),
    });
    const review = reviewAgainstLock(lock, {
      'io.attest.test.same.v1': schema(),
      'io.attest.test.grown.v1': schema({ b: { type: 'integer' } }),
      'io.attest.test.reworded.v1': { ...schema(), description: 'Now described.' },
      'io.attest.test.broken.v1': schema({ b: { type: 'integer' } }, ['a', 'b']),
      'io.attest.test.new.v1': schema(),
    });
    expect(review).toEqual({
      added: ['io.attest.test.new.v1'],
      changed: ['io.attest.test.grown.v1'],
      reworded: ['io.attest.test.reworded.v1'],
      incompatible: [
        {
          ceType: 'io.attest.test.broken.v1',
          issues: [expect.objectContaining({ rule: 'required-added', path: '/properties/b' })],
        },
      ],
      removed: ['io.attest.test.gone.v1'],
    });
    expect(lockRefusals(review)).toEqual([
      'io.attest.test.gone.v1 was released and no longer exists: keep publishing it until consumers have moved (README).',
      'io.attest.test.broken.v1 changed incompatibly; publish a new version (.v2) instead:',
      "  /properties/b: new required property 'b' (old events lack it) [required-added]",
    ]);
  });

  it('updates the lock with new types and compatible changes', () => {
    const lock = lockOf({ 'io.attest.test.b.v1': schema() });
    const next = updatedLock(lock, {
      'io.attest.test.b.v1': schema({ c: { type: 'string' } }),
      'io.attest.test.a.v1': schema(),
    });
    expect(Object.keys(next.eventTypes)).toEqual(['io.attest.test.a.v1', 'io.attest.test.b.v1']);
    expect(next.eventTypes['io.attest.test.b.v1']).toEqual(schema({ c: { type: 'string' } }));
    expect(parseSchemaLock(JSON.parse(schemaLockJson(next)))).toEqual(next);
  });

  it('refuses to update the lock over an incompatible change or a removed type', () => {
    const lock = lockOf({ 'io.attest.test.b.v1': schema(), 'io.attest.test.c.v1': schema() });
    expect(() => updatedLock(lock, { 'io.attest.test.b.v1': schema({}, []) })).toThrow(
      /io\.attest\.test\.c\.v1 was released and no longer exists[\s\S]*io\.attest\.test\.b\.v1 changed incompatibly; publish a new version \(\.v2\)/,
    );
  });

  it('rejects a malformed lock file', () => {
    expect(() => parseSchemaLock({ types: {} })).toThrow(/eventTypes/);
  });
});
