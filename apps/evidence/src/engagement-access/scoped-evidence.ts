import { Injectable } from '@nestjs/common';
import { evidenceItemNotFound } from '@attest/evidence-domain';
import { decodeCursor, pageOf, type Page, type PagedRequest } from '@attest/service-kit';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import {
  isItemSortKey,
  itemSortKey,
  type EvidenceItemFilter,
  type EvidenceItemView,
} from '../read-model/evidence-views';
import { withinScope, type EvidenceScope } from './evidence-scope';

/** The read model as a scope sees it: items outside the scope are not there. */
@Injectable()
export class ScopedEvidence {
  constructor(private readonly readModel: EvidenceReadModel) {}

  /** The item, or evidence-item-not-found (404) when the tenant has none or it lies outside the scope. */
  async item(scope: EvidenceScope, itemId: string): Promise<EvidenceItemView> {
    const item = await this.readModel.item(scope.tenantId, itemId);
    if (!item || !withinScope(scope, item.controlIds)) throw evidenceItemNotFound(itemId);
    return item;
  }

  async sees(scope: EvidenceScope, itemId: string): Promise<boolean> {
    const item = await this.readModel.item(scope.tenantId, itemId);
    return item !== null && withinScope(scope, item.controlIds);
  }

  /** A page of the items the filter and the scope select, newest submission first. */
  async itemsPage(
    scope: EvidenceScope,
    query: EvidenceItemFilter & { limit: number; cursor?: string },
    request: PagedRequest,
  ): Promise<Page<EvidenceItemView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isItemSortKey);
    const rows = await this.readModel.items(scope.tenantId, this.filterOf(scope, filter), {
      after,
      limit: limit + 1,
    });
    return pageOf(rows, limit, itemSortKey, request);
  }

  /** The filter narrowed to the scope. */
  filterOf(scope: EvidenceScope, filter: EvidenceItemFilter): EvidenceItemFilter {
    return scope.controlIds === undefined ? filter : { ...filter, linkedToAnyOf: scope.controlIds };
  }
}
