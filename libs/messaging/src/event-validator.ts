import { eventDataValidator } from '@attest/event-contracts';

/**
 * Checks an event's data against its public type's schema: `null` when valid, otherwise the problems.
 * Consumers (and benchmarks) take one of these; producers are checked by the command pipeline before append.
 */
export type ValidateEvent = (ceType: string, data: unknown) => string[] | null;

/**
 * A ValidateEvent over a map of public type → JSON Schema (draft 2020-12), compiled once with the contracts' one
 * ajv setup (`eventDataValidator`: strict, formats checked); a type without a schema is refused.
 */
export class JsonSchemaEventValidator {
  private readonly check: (ceType: string, data: unknown) => string[];

  constructor(schemas: Record<string, object>) {
    this.check = eventDataValidator(schemas);
  }

  /** Bound, so it can be passed around as a plain ValidateEvent. */
  readonly validate: ValidateEvent = (ceType, data) => {
    const problems = this.check(ceType, data);
    return problems.length ? problems : null;
  };
}
