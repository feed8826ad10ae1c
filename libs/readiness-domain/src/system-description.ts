import { attestCatalog, criterionById, type Catalog } from '@attest/catalog';
import { DomainError } from '@attest/decider';
import type { Category, ComplementaryControl, SystemDescription } from './events';

/** The refusals of a system description, with the HTTP status a service should answer them with. */
export const SYSTEM_DESCRIPTION_REFUSALS = {
  'system-description-invalid': 422,
  'change-summary-required': 422,
} as const;

/** What is wrong with one part of a system description. */
export type SystemDescriptionRule =
  /** A criterion id the catalog does not have. */
  | 'unknown-criterion'
  /** A criterion of a category the assessment does not cover. */
  | 'criterion-out-of-scope'
  /** A text (a reason, a control's id or description) that holds only blanks. */
  | 'blank'
  /** The same control id, or the same criterion, twice. */
  | 'duplicate'
  /** A carved-out subservice organization without the controls the report expects it to operate. */
  | 'csocs-required';

export interface SystemDescriptionProblem {
  /** JSON pointer into the command (and the request body), e.g. `/systemDescription/criteriaNotRelevant/0/reason`. */
  pointer: string;
  rule: SystemDescriptionRule;
  message: string;
}

const ROOT = '/systemDescription';

/**
 * Everything that keeps a system description from being one an auditor can rely on, in document order (empty when
 * there is nothing): the criteria it names (the complementary controls' and those declared not relevant) exist in
 * the catalog and belong to the assessment's categories; reasons, control ids and descriptions say something;
 * control ids are unique across the user-entity and subservice organization controls, as the report lists them
 * side by side; a criterion is declared not relevant once; a carved-out subservice organization lists the controls
 * it is expected to operate (CSOCs), as its own controls are left out of the report. An inclusive one needs none:
 * its controls are described and tested with the organization's.
 */
export function systemDescriptionProblems(
  description: SystemDescription,
  categories: readonly Category[],
  catalog: Catalog = attestCatalog,
): SystemDescriptionProblem[] {
  const problems: SystemDescriptionProblem[] = [];
  const report = (pointer: string, rule: SystemDescriptionRule, message: string) =>
    problems.push({ pointer: `${ROOT}${pointer}`, rule, message });

  const criterion = (pointer: string, criterionId: string) => {
    const found = criterionById(criterionId, catalog);
    if (!found) return report(pointer, 'unknown-criterion', `no criterion ${criterionId} in the catalog`);
    if (!categories.includes(found.category as Category))
      report(
        pointer,
        'criterion-out-of-scope',
        `${criterionId} belongs to ${found.category}, which is not in the assessment's scope`,
      );
  };
  const text = (pointer: string, value: string, what: string) => {
    if (!value.trim()) report(pointer, 'blank', `${what} must say something`);
  };
  const controlIds = new Set<string>();
  const control = (pointer: string, c: ComplementaryControl) => {
    text(`${pointer}/id`, c.id, 'a control id');
    if (controlIds.has(c.id))
      report(`${pointer}/id`, 'duplicate', `control id ${c.id} is used by another complementary control`);
    controlIds.add(c.id);
    text(`${pointer}/description`, c.description, 'a control description');
    const seen = new Set<string>();
    c.criteria.forEach((criterionId, i) => {
      if (seen.has(criterionId))
        report(`${pointer}/criteria/${i}`, 'duplicate', `${criterionId} is listed twice`);
      seen.add(criterionId);
      criterion(`${pointer}/criteria/${i}`, criterionId);
    });
  };

  (description.complementaryUserEntityControls ?? []).forEach((c, i) =>
    control(`/complementaryUserEntityControls/${i}`, c),
  );
  description.subserviceOrganizations.forEach((org, i) => {
    const csocs = org.complementarySubserviceOrganizationControls ?? [];
    csocs.forEach((c, j) =>
      control(`/subserviceOrganizations/${i}/complementarySubserviceOrganizationControls/${j}`, c),
    );
    // The free-text CSOCs of descriptions written before CSOCs had ids and criteria still list them.
    if (org.method === 'carve-out' && csocs.length === 0 && !org.complementaryControls?.length)
      report(
        `/subserviceOrganizations/${i}/complementarySubserviceOrganizationControls`,
        'csocs-required',
        `${org.name} is carved out: list the controls it is expected to operate (CSOCs)`,
      );
  });
  const notRelevant = new Set<string>();
  (description.criteriaNotRelevant ?? []).forEach(({ criterionId, reason }, i) => {
    if (notRelevant.has(criterionId))
      report(`/criteriaNotRelevant/${i}/criterionId`, 'duplicate', `${criterionId} is declared twice`);
    notRelevant.add(criterionId);
    criterion(`/criteriaNotRelevant/${i}/criterionId`, criterionId);
    text(`/criteriaNotRelevant/${i}/reason`, reason, 'the reason a criterion is not relevant');
  });
  (description.significantChanges ?? []).forEach(({ description: what }, i) =>
    text(`/significantChanges/${i}/description`, what, 'a significant change'),
  );
  return problems;
}

/** Refuses (`system-description-invalid`, with every problem in details.problems) a description that has problems. */
export function assertValidSystemDescription(
  description: SystemDescription,
  categories: readonly Category[],
  catalog: Catalog = attestCatalog,
): void {
  const problems = systemDescriptionProblems(description, categories, catalog);
  if (problems.length > 0)
    throw new DomainError(
      'system-description-invalid',
      `the system description has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems
        .map((p) => p.message)
        .join('; ')}`,
      { problems },
    );
}
