import { SearchAttributeType } from '@temporalio/common';
import {
  AttestEngagementId,
  AttestObservationPeriodEnd,
  AttestOverdueCount,
  AttestReportType,
  AttestStage,
  AttestTenantId,
  SearchAttributeTypeName,
  searchAttributeTypes,
} from './search-attribute-keys';

const typeNames: Partial<Record<SearchAttributeType, SearchAttributeTypeName>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.INT]: 'Int',
};

describe('search attributes', () => {
  // infra/local registers exactly what the JSON declares; the typed keys must agree or workflows fail to start.
  it('declares the same names and types for the server and for workflow code', () => {
    const keys = [
      AttestTenantId,
      AttestEngagementId,
      AttestStage,
      AttestReportType,
      AttestObservationPeriodEnd,
      AttestOverdueCount,
    ];
    const fromKeys = Object.fromEntries(keys.map((k) => [k.name, typeNames[k.type]]));
    expect(fromKeys).toEqual(searchAttributeTypes);
  });
});
