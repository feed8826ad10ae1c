import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import declared from './search-attributes.json';

/**
 * Custom search attributes Attest sets on its workflows. Operators filter by them in Temporal UI and
 * integrators in the list API, so names and types are a public interface: add, never rename.
 * The JSON file is also read by infra/local to register them when the dev server starts.
 */
export const searchAttributeTypes = declared as Record<keyof typeof declared, 'Keyword' | 'Datetime'>;

export const AttestTenantId = defineSearchAttributeKey('AttestTenantId', SearchAttributeType.KEYWORD);
export const AttestEngagementId = defineSearchAttributeKey('AttestEngagementId', SearchAttributeType.KEYWORD);
export const AttestStage = defineSearchAttributeKey('AttestStage', SearchAttributeType.KEYWORD);
export const AttestReportType = defineSearchAttributeKey('AttestReportType', SearchAttributeType.KEYWORD);
export const AttestObservationPeriodEnd = defineSearchAttributeKey(
  'AttestObservationPeriodEnd',
  SearchAttributeType.DATETIME,
);
