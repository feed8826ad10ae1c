import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks an event's data against its public type's schema: `null` when valid, otherwise the problems.
 * Producers (before append, and the relay) and consumers take one of these.
 */
export type ValidateEvent = (ceType: string, data: unknown) => string[] | null;

export interface JsonSchemaEventValidatorOptions {
  /** What to say about a type with no schema: refuse it (default) or let it through. */
  unknownTypes?: 'reject' | 'accept';
}

/** A ValidateEvent over a map of public type → JSON Schema (draft 2020-12), compiled once with ajv. */
export class JsonSchemaEventValidator {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly unknownTypes: 'reject' | 'accept';

  constructor(schemas: Record<string, object>, options: JsonSchemaEventValidatorOptions = {}) {
    this.unknownTypes = options.unknownTypes ?? 'reject';
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const [ceType, schema] of Object.entries(schemas)) {
      try {
        this.validators.set(ceType, ajv.compile(schema));
      } catch (err) {
        throw new TypeError(`schema for ${ceType} does not compile: ${(err as Error).message}`);
      }
    }
  }

  /** Bound, so it can be passed around as a plain ValidateEvent. */
  readonly validate: ValidateEvent = (ceType, data) => {
    const check = this.validators.get(ceType);
    if (!check) return this.unknownTypes === 'accept' ? null : [`no schema for event type ${ceType}`];
    if (check(data)) return null;
    return (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
}
