import {
  criterionById,
  pointOfFocusByRef,
  type Catalog,
  type Control,
  type ControlNature,
  type ControlType,
  type Frequency,
} from '@attest/catalog';
import { DomainError } from '@attest/decider';

/** What an organization's control says it does: the fields an organization may customize, plus its code. */
export interface ControlDefinition {
  code: string;
  name: string;
  description: string;
  controlType: ControlType;
  nature: ControlNature;
  frequency: Frequency;
  criteria: string[];
  pointsOfFocus: string[];
  ownerRole?: string;
}

/** Fields of a definition that `PATCH /controls/:id` may change (the code stays). */
export const CUSTOMIZABLE_FIELDS = [
  'name',
  'description',
  'controlType',
  'nature',
  'frequency',
  'criteria',
  'pointsOfFocus',
  'ownerRole',
] as const;
export type CustomizableField = (typeof CUSTOMIZABLE_FIELDS)[number];
export type DefinitionChanges = Partial<Pick<ControlDefinition, CustomizableField>>;

const SET_FIELDS: ReadonlySet<CustomizableField> = new Set(['criteria', 'pointsOfFocus']);

/** A catalog template as the definition an adopting organization starts from. */
export function templateDefinition(control: Control): ControlDefinition {
  return {
    code: control.id,
    name: control.name,
    description: control.description,
    controlType: control.type,
    nature: control.nature,
    frequency: control.frequency,
    criteria: [...control.criteria],
    pointsOfFocus: [...control.pointsOfFocus],
    ownerRole: control.ownerRole,
  };
}

/** A list of criteria or points of focus as events carry it: each entry once, in the order first given. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * The definition an adoption or custom-control event records, with the description given apart (adoption events
 * carry none: it comes from the template). The lists are copied without repeats; an absent owner role stays absent.
 */
export function definitionFromEvent(
  data: Omit<ControlDefinition, 'description'>,
  description: string,
): ControlDefinition {
  return {
    code: data.code,
    name: data.name,
    description,
    controlType: data.controlType,
    nature: data.nature,
    frequency: data.frequency,
    criteria: distinct(data.criteria),
    pointsOfFocus: distinct(data.pointsOfFocus),
    ...(data.ownerRole ? { ownerRole: data.ownerRole } : {}),
  };
}

/** A field's value as a definition keeps it: criteria and points of focus without repeats. */
export function definitionValue<F extends CustomizableField>(
  field: F,
  value: ControlDefinition[F],
): ControlDefinition[F] {
  return SET_FIELDS.has(field) ? (distinct(value as string[]) as ControlDefinition[F]) : value;
}

/** Whether two values of a field are the same; criteria and points of focus compare as sets. */
export function sameFieldValue(field: CustomizableField, a: unknown, b: unknown): boolean {
  if (SET_FIELDS.has(field)) {
    const x = new Set((a as string[] | undefined) ?? []);
    const y = new Set((b as string[] | undefined) ?? []);
    return x.size === y.size && [...x].every((v) => y.has(v));
  }
  return a === b;
}

/** The customizable fields in which a definition differs from its template. */
export function divergedFields(
  definition: ControlDefinition,
  template: ControlDefinition,
): CustomizableField[] {
  return CUSTOMIZABLE_FIELDS.filter((f) => !sameFieldValue(f, definition[f], template[f]));
}

/**
 * Checks a mapping against the catalog's criteria: every criterion and point of focus must exist, and every point
 * of focus must belong to one of the mapped criteria. Refusals: `unknown-criterion`, `unknown-point-of-focus`,
 * `point-of-focus-outside-criteria`, `criteria-required`.
 */
export function assertValidMapping(criteria: string[], pointsOfFocus: string[], catalog: Catalog): void {
  if (criteria.length === 0)
    throw new DomainError('criteria-required', 'a control maps to at least one criterion');
  const unknownCriteria = criteria.filter((c) => !criterionById(c, catalog));
  if (unknownCriteria.length > 0)
    throw new DomainError('unknown-criterion', `unknown criteria: ${unknownCriteria.join(', ')}`, {
      criteria: unknownCriteria,
    });
  const unknownRefs = pointsOfFocus.filter((p) => !pointOfFocusByRef(p, catalog));
  if (unknownRefs.length > 0)
    throw new DomainError('unknown-point-of-focus', `unknown points of focus: ${unknownRefs.join(', ')}`, {
      pointsOfFocus: unknownRefs,
    });
  const mapped = new Set(criteria);
  const outside = pointsOfFocus.filter((p) => !mapped.has(pointOfFocusByRef(p, catalog)!.criterion.id));
  if (outside.length > 0)
    throw new DomainError(
      'point-of-focus-outside-criteria',
      `points of focus ${outside.join(', ')} belong to criteria the control is not mapped to`,
      { pointsOfFocus: outside },
    );
}
