import { Inject, Injectable, type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { AuditorAccessLog, EngagementGrants } from '@attest/service-kit';
import { EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { AuditorAccessLogController } from './auditor-access-log.controller';
import { AuditorEngagementEventsListener } from './auditor-engagement-events.listener';
import { EngagementEvidenceController } from './engagement-evidence.controller';
import { evidenceAccessLog, evidenceGrants } from './evidence-grants';
import { EvidenceScopes } from './evidence-scope';
import { ScopedEvidence } from './scoped-evidence';

/** Creates the grants and access-log tables before the consumers start and the first request is authenticated. */
@Injectable()
class EngagementAccessTables implements OnModuleInit {
  constructor(
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly grants: EngagementGrants,
    private readonly accessLog: AuditorAccessLog,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.grants.setUp(this.options.pool);
    await this.accessLog.setUp();
  }
}

/**
 * Auditors reaching the tenant's evidence through engagement grants: the grants learnt from the auditor-engagement
 * service's events, the scope each request sees, the engagement's own routes and the log of what auditors did.
 */
export const ENGAGEMENT_ACCESS_PROVIDERS: Provider[] = [
  {
    provide: EngagementGrants,
    inject: [EVIDENCE_OPTIONS],
    useFactory: (options: ResolvedOptions) => evidenceGrants(options.pool),
  },
  {
    provide: AuditorAccessLog,
    inject: [EVIDENCE_OPTIONS],
    useFactory: (options: ResolvedOptions) => evidenceAccessLog(options.pool),
  },
  EngagementAccessTables,
  EvidenceScopes,
  ScopedEvidence,
  AuditorEngagementEventsListener,
];
export const ENGAGEMENT_ACCESS_CONTROLLERS: Type<unknown>[] = [
  EngagementEvidenceController,
  AuditorAccessLogController,
];
