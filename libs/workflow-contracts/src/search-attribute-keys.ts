import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import declared from './search-attributes.json';

/** The type names the temporal CLI and the dev server's `--search-attribute` flag accept. */
export type SearchAttributeTypeName = 'Keyword' | 'Datetime' | 'Int';

/**
 * Custom search attributes Attest sets on its workflows. Operators filter by them in Temporal UI and
 * integrators in the list API, so names and types are a public interface: add, never rename.
 * The JSON file is also read by infra/local to register them on the dev server. (This module is not named like the
 * JSON file: Node resolves `./search-attributes` to the `.json` before a `.ts`, which broke scripts run with
 * @swc-node/register.)
 */
export const searchAttributeTypes = declared as Record<keyof typeof declared, SearchAttributeTypeName>;

export const AttestTenantId = defineSearchAttributeKey('AttestTenantId', SearchAttributeType.KEYWORD);
export const AttestEngagementId = defineSearchAttributeKey('AttestEngagementId', SearchAttributeType.KEYWORD);
export const AttestStage = defineSearchAttributeKey('AttestStage', SearchAttributeType.KEYWORD);
export const AttestReportType = defineSearchAttributeKey('AttestReportType', SearchAttributeType.KEYWORD);
export const AttestObservationPeriodEnd = defineSearchAttributeKey(
  'AttestObservationPeriodEnd',
  SearchAttributeType.DATETIME,
);
/** Deadlines of an audit that are past due and not met, so `AttestOverdueCount > 0` lists the overdue audits. */
export const AttestOverdueCount = defineSearchAttributeKey('AttestOverdueCount', SearchAttributeType.INT);
