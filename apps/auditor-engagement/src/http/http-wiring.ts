import { Injectable, type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { AuditorAccessLog } from '@attest/service-kit';
import { ACCESS_SCHEMA, ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { AccessLogController } from './access-log.controller';
import { EngagementsController } from './engagements.controller';
import { FirmsController } from './firms.controller';

/** Creates the access log's table at start. */
@Injectable()
class AccessLogSetup implements OnModuleInit {
  constructor(private readonly log: AuditorAccessLog) {}

  onModuleInit(): Promise<void> {
    return this.log.setUp();
  }
}

/** Firms, engagements and the auditor access log (in `engagement_access`). */
export const HTTP_PROVIDERS: Provider[] = [
  {
    provide: AuditorAccessLog,
    inject: [ENGAGEMENT_OPTIONS],
    useFactory: (options: ResolvedOptions) => new AuditorAccessLog(options.pool, ACCESS_SCHEMA),
  },
  AccessLogSetup,
];
export const HTTP_CONTROLLERS: Type<unknown>[] = [
  FirmsController,
  EngagementsController,
  AccessLogController,
];
