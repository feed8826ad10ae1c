import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventCatalog } from './event-catalog';
import { EXTENSIBLE_ENUM_KEYWORD } from './json-schema';

let validators: Map<string, ValidateFunction> | null = null;

/** Compiles every schema once, in strict mode, on first use. */
function compiled(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: EXTENSIBLE_ENUM_KEYWORD, schemaType: 'boolean' });
  const next = new Map<string, ValidateFunction>();
  for (const contract of eventCatalog) {
    try {
      next.set(contract.ceType, ajv.compile(contract.schema));
    } catch (err) {
      throw new TypeError(`schema of ${contract.ceType} does not compile: ${(err as Error).message}`);
    }
  }
  validators = next;
  return next;
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

/**
 * Checks an event's data against the schema of its public type. Returns the problems, empty when the data is valid;
 * an unknown type is a problem too.
 */
export function validateEventData(ceType: string, data: unknown): string[] {
  const validate = compiled().get(ceType);
  if (!validate) return [`unknown event type '${ceType}'`];
  if (validate(data)) return [];
  // `if` failures only repeat the `then` error they explain; errors inside `contains` are the items it tried.
  const errors = (validate.errors ?? []).filter(
    (e) => e.keyword !== 'if' && !e.schemaPath.includes('/contains/'),
  );
  return [...new Set(errors.map(describe))];
}
