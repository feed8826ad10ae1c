import { JsonSchemaEventValidator, type ValidateEvent } from '@attest/messaging';

/** The one event type both sides of every benchmark carry: 1 KiB of JSON with a sequence number. */
export const BENCH_STORE_TYPE = 'BenchRecorded';
export const BENCH_CE_TYPE = 'io.attest.bench.recorded.v1';
export const BENCH_SOURCE = '/attest/bench';

/** As strict as a catalog schema, so validating costs what it costs for real events. */
export const BENCH_EVENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['seq', 'filler'],
  additionalProperties: false,
  properties: {
    seq: { type: 'integer', minimum: 0 },
    filler: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

/**
 * The repository's ajv setup (the one the relay and the consumers use), compiled once for the bench type.
 * Raw kafkajs and the pipeline validate with the same function, so validation costs both sides alike.
 */
export function benchValidator(): ValidateEvent {
  return new JsonSchemaEventValidator({ [BENCH_CE_TYPE]: BENCH_EVENT_SCHEMA }).validate;
}

/** Throws when the payload does not match: a benchmark must never count an invalid event. */
export function assertValid(validate: ValidateEvent, data: unknown): void {
  const problems = validate(BENCH_CE_TYPE, data);
  if (problems && problems.length) throw new Error(`invalid bench event: ${problems.join('; ')}`);
}
