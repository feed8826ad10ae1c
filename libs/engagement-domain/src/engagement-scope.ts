import { CATEGORY_IDS } from '@attest/catalog';
import { DomainError, requiredText } from '@attest/decider';
import { SUBSERVICE_METHODS, type Scope } from './engagement-events';
import { unique } from './engagement-values';

const TEXT_MAX = 4000;
const NAME_MAX = 200;

function invalidScope(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('invalid-scope', message, details);
}

/**
 * A scope as the engagement records it: security always in (the common criteria are in every SOC 2 report), each
 * category and control once, CUEC ids unique, every subservice organization treated carve-out or inclusive. Whether
 * the control ids are the tenant's is the service's check (it knows the tenant's controls).
 */
export function checkedScope(scope: Scope): Scope {
  if (!scope || !Array.isArray(scope.categories) || !Array.isArray(scope.controlIds))
    throw invalidScope('a scope names categories and controls');
  const categories = unique(scope.categories);
  const unknown = categories.filter((c) => !(CATEGORY_IDS as readonly string[]).includes(c));
  if (unknown.length)
    throw invalidScope(`unknown categories: ${unknown.join(', ')}`, { categories: unknown });
  if (!categories.includes('security'))
    throw invalidScope('security (the common criteria) is in the scope of every SOC 2 engagement');
  const cuecs = (scope.cuecs ?? []).map((c) => ({
    id: requiredText('cuecs.id', c.id, 100).trim(),
    description: requiredText('cuecs.description', c.description, TEXT_MAX),
    criteria: unique(c.criteria ?? []),
  }));
  const cuecIds = cuecs.map((c) => c.id);
  if (new Set(cuecIds).size !== cuecIds.length) throw invalidScope('each CUEC id is listed once');
  const subserviceOrganizations = (scope.subserviceOrganizations ?? []).map((o) => {
    if (!SUBSERVICE_METHODS.includes(o.method))
      throw invalidScope(`a subservice organization is carve-out or inclusive, not '${o.method}'`);
    return {
      name: requiredText('subserviceOrganizations.name', o.name, NAME_MAX).trim(),
      services: requiredText('subserviceOrganizations.services', o.services, 2000),
      method: o.method,
      csocs: (o.csocs ?? []).map((c) => requiredText('subserviceOrganizations.csocs', c, 2000)),
    };
  });
  return { categories, controlIds: unique(scope.controlIds), cuecs, subserviceOrganizations };
}
