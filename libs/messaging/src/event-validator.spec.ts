import { JsonSchemaEventValidator } from './event-validator';

const schemas = {
  'io.attest.evidence.collected.v1': {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['controlId', 'collectedAt'],
    properties: {
      controlId: { type: 'string', minLength: 1 },
      collectedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  },
};

describe('JsonSchemaEventValidator', () => {
  const { validate } = new JsonSchemaEventValidator(schemas);

  it('accepts data that matches its type’s schema', () => {
    expect(
      validate('io.attest.evidence.collected.v1', {
        controlId: 'CC6.1',
        collectedAt: '2025-01-01T00:00:00Z',
      }),
    ).toBeNull();
  });

  it('lists every problem, formats included', () => {
    expect(validate('io.attest.evidence.collected.v1', { collectedAt: 'soon', extra: 1 })).toEqual([
      "/ must have required property 'controlId'",
      "/ must not have property 'extra'",
      '/collectedAt must match format "date-time"',
    ]);
  });

  it('refuses a type it has no schema for', () => {
    expect(validate('io.attest.nope.v1', {})).toEqual(["unknown event type 'io.attest.nope.v1'"]);
  });

  it('is strict: a schema with a keyword ajv does not know fails to compile instead of checking less', () => {
    expect(
      () => new JsonSchemaEventValidator({ 'io.attest.typo.v1': { type: 'object', requird: ['x'] } }),
    ).toThrow(/schema of io.attest.typo.v1 does not compile: strict mode: unknown keyword: "requird"/);
  });

  it('fails at construction on a schema that does not compile', () => {
    expect(() => new JsonSchemaEventValidator({ 'io.attest.bad.v1': { type: 'nonsense' } })).toThrow(
      /schema of io.attest.bad.v1 does not compile/,
    );
  });
});
