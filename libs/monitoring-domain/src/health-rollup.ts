import { criterionById, type CategoryId } from '@attest/catalog';
import { HEALTHS, type Health } from './monitoring-events';

/** How bad a health is when several roll up into one: a failing control makes its criterion failing. */
const RANK: Record<Health, number> = { healthy: 0, unknown: 1, 'at-risk': 2, failing: 3 };

export type HealthCounts = Record<Health, number>;

export interface CriterionHealth {
  criterionId: string;
  category: CategoryId;
  /** The worst health of the controls mapped to the criterion. */
  health: Health;
  controls: HealthCounts;
}

export interface CategoryHealth {
  category: CategoryId;
  health: Health;
  /** Controls by health, each counted once however many of the category's criteria it maps to. */
  controls: HealthCounts;
}

export interface HealthRollup {
  criteria: CriterionHealth[];
  categories: CategoryHealth[];
}

/** The worst of some healths; `unknown` for none (nothing tells). */
export function worstHealth(healths: Iterable<Health>): Health {
  let worst: Health | null = null;
  for (const h of healths) if (worst === null || RANK[h] > RANK[worst]) worst = h;
  return worst ?? 'unknown';
}

const noCounts = (): HealthCounts => Object.fromEntries(HEALTHS.map((h) => [h, 0])) as HealthCounts;

/**
 * Controls' health rolled up per Trust Services Criterion and per category (`@attest/catalog` gives a criterion's
 * category), the worst winning: an auditor asks "is CC7.2 met", not "is this control healthy". `unknown` ranks
 * above `healthy`: a control nothing tells about leaves its criterion unproven. Criteria no control maps to are
 * left out, as are ids the catalog does not have.
 */
export function healthRollup(
  controls: readonly { controlId: string; health: Health; criteria: readonly string[] }[],
): HealthRollup {
  const criteria = new Map<string, CriterionHealth>();
  const categories = new Map<CategoryId, { controls: Map<string, Health> }>();
  for (const control of controls)
    for (const criterionId of new Set(control.criteria)) {
      const criterion = criterionById(criterionId);
      if (!criterion) continue;
      const entry = criteria.get(criterionId) ?? {
        criterionId,
        category: criterion.category,
        health: control.health,
        controls: noCounts(),
      };
      entry.controls[control.health]++;
      entry.health = worstHealth([entry.health, control.health]);
      criteria.set(criterionId, entry);
      const category = categories.get(criterion.category) ?? { controls: new Map<string, Health>() };
      category.controls.set(control.controlId, control.health);
      categories.set(criterion.category, category);
    }
  return {
    criteria: [...criteria.values()].sort((a, b) =>
      a.criterionId.localeCompare(b.criterionId, 'en', { numeric: true }),
    ),
    categories: [...categories.entries()]
      .map(([category, { controls: byControl }]) => {
        const counts = noCounts();
        for (const health of byControl.values()) counts[health]++;
        return { category, health: worstHealth(byControl.values()), controls: counts };
      })
      .sort((a, b) => a.category.localeCompare(b.category)),
  };
}
