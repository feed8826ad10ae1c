import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DomainError } from '@attest/decider';
import type { CloudEvent } from '@attest/messaging';
import { InputsChanged } from '../inputs/inputs-changed';
import { EngagementInputs } from '../inputs/engagement-inputs';
import { periodOf } from './audit-work-engagement';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import { RequestList } from './request-list';

/**
 * Requests answer themselves when their evidence arrives: on new inputs for some of a tenant's controls (in the
 * consumer's transaction), every open request of the list about one of them, in an engagement still before its
 * report, is submitted by the system with what the inputs now hold for its type and period. What it appends commits
 * with the consumed event or not at all; a request someone has answered, or the auditor returned, is left alone.
 */
@Injectable()
export class RequestFulfilment implements OnModuleInit {
  constructor(
    private readonly inputsChanged: InputsChanged,
    private readonly inputs: EngagementInputs,
    private readonly engagements: AuditWorkEngagements,
    private readonly readModel: AuditWorkReadModel,
    private readonly requests: RequestList,
  ) {}

  onModuleInit(): void {
    this.inputsChanged.register((tx, tenantId, controlIds, event) =>
      this.fulfil(tx, tenantId, controlIds, event),
    );
  }

  async fulfil(
    tx: PoolClient,
    tenantId: string,
    controlIds: readonly string[],
    event: CloudEvent<unknown>,
  ): Promise<void> {
    const open = await this.engagements.openFor(tenantId);
    if (open.length === 0) return;
    const byId = new Map(open.map((e) => [e.engagementId, e]));
    for (const request of await this.readModel.openControlRequests(tenantId, controlIds, [...byId.keys()])) {
      const engagement = byId.get(request.engagementId);
      if (!engagement || request.controlId === undefined) continue;
      const evidence = await this.inputs.evidenceFor(
        tenantId,
        request.controlId,
        request.evidenceType,
        periodOf(engagement),
        tx,
      );
      if (evidence.length === 0) continue;
      try {
        await this.requests.fulfil(tx, tenantId, request.requestId, evidence, {
          causationId: event.id,
        });
      } catch (error) {
        // The read model lags the log: a request answered meanwhile is refused by its decider before anything is
        // written, and stays as it is. Anything else fails the consumed event (it is retried).
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }
}
