import type { Provider, Type } from '@nestjs/common';
import { ControlActivity } from '../read-model/control-activity';
import { EvidenceSystemController } from './evidence-system.controller';

/**
 * The routes made for the orchestrator (`/v1/system/tenants/{tenantId}/…`, service tokens only): the freshness
 * sweep, scheduled collector runs with stored configurations, and the control activity read.
 */
export const SYSTEM_PROVIDERS: Provider[] = [ControlActivity];
export const SYSTEM_CONTROLLERS: Type<unknown>[] = [EvidenceSystemController];
