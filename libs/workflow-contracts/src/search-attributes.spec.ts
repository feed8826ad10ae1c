import { SearchAttributeType } from '@temporalio/common';
import {
  AttestEngagementId,
  AttestObservationPeriodEnd,
  AttestReportType,
  AttestStage,
  AttestTenantId,
  searchAttributeTypes,
} from './search-attributes';

describe('search attributes', () => {
  // infra/local registers exactly what the JSON declares; the typed keys must agree or workflows fail to start.
  it('declares the same names and types for the server and for workflow code', () => {
    const keys = [
      AttestTenantId,
      AttestEngagementId,
      AttestStage,
      AttestReportType,
      AttestObservationPeriodEnd,
    ];
    const fromKeys = Object.fromEntries(
      keys.map((k) => [k.name, k.type === SearchAttributeType.DATETIME ? 'Datetime' : 'Keyword']),
    );
    expect(fromKeys).toEqual(searchAttributeTypes);
  });
});
