import { withStoreTransaction } from './append-notifier';
import type { ErasureRecord, PersonalDataVault, Resolution } from './personal-data-vault';
import type { PostgresEventStore } from './postgres-event-store';
import type { ProjectionRunner } from './projection-runner';
import { reprojectTenant } from './tenant-reprojection';

/**
 * A service's personal-data operations over its event store: what `POST /v1/personal-data/erasures` and
 * `/resolutions` do (service-kit's PersonalDataController).
 */
export class StorePersonalData {
  /** @param runners every projection runner of the service, fed through `revealingProjection`. */
  constructor(
    private readonly store: PostgresEventStore,
    private readonly vault: PersonalDataVault,
    private readonly runners: readonly ProjectionRunner[],
  ) {}

  /** Deletes the person's keys and rebuilds the tenant's read-model rows in one transaction: both or neither. */
  erase(tenantId: string, subjectId: string, erasedBy: string): Promise<ErasureRecord> {
    return withStoreTransaction(this.store.pool, async (tx) => {
      const record = await this.vault.forget(tx, tenantId, subjectId, erasedBy);
      await reprojectTenant(tx, this.store, this.runners, tenantId);
      return record;
    });
  }

  resolve(tenantId: string, tokens: readonly string[]): Promise<Resolution[]> {
    return this.vault.resolve(this.store.pool, tenantId, tokens);
  }
}
