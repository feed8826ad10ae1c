import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventSchemasByCeType } from './event-catalog';
import { EXTENSIBLE_ENUM_KEYWORD } from './json-schema';

/** Checks event data against the schema of its public type: the problems, empty when the data is valid. */
export type EventDataValidator = (ceType: string, data: unknown) => string[];

/**
 * The one ajv setup for event data, on both sides (producers before append, consumers, benchmarks): JSON Schema
 * 2020-12 in strict mode, so a schema with a typo'd or unknown keyword fails to compile instead of checking less
 * than it says; formats checked; the catalog's extensible-enum marker known. Compiles every schema once, now.
 * A type without a schema is a problem, never a pass.
 */
export function eventDataValidator(schemas: Readonly<Record<string, object>>): EventDataValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: EXTENSIBLE_ENUM_KEYWORD, schemaType: 'boolean' });
  const validators = new Map<string, ValidateFunction>();
  for (const [ceType, schema] of Object.entries(schemas)) {
    try {
      validators.set(ceType, ajv.compile(schema));
    } catch (err) {
      throw new TypeError(`schema of ${ceType} does not compile: ${(err as Error).message}`);
    }
  }
  return (ceType, data) => {
    const validate = validators.get(ceType);
    if (!validate) return [`unknown event type '${ceType}'`];
    if (validate(data)) return [];
    // `if` failures only repeat the `then` error they explain; errors inside `contains` are the items it tried.
    const errors = (validate.errors ?? []).filter(
      (e) => e.keyword !== 'if' && !e.schemaPath.includes('/contains/'),
    );
    return [...new Set(errors.map(describe))];
  };
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `${where} must not have property '${params.additionalProperty}'`;
  if (error.keyword === 'enum')
    return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

let catalogValidator: EventDataValidator | null = null;

/**
 * Checks an event's data against the schema of its public type in the catalog (compiled on first use). Returns the
 * problems, empty when the data is valid; an unknown type is a problem too.
 */
export function validateEventData(ceType: string, data: unknown): string[] {
  catalogValidator ??= eventDataValidator(eventSchemasByCeType());
  return catalogValidator(ceType, data);
}
