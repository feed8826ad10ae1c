import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { ControlMappingEventsListener } from './control-mapping-events.listener';
import { EngagementInputs } from './engagement-inputs';
import { EvidenceEventsListener } from './evidence-events.listener';
import { InputsChanged } from './inputs-changed';
import { ENGAGEMENT_INPUTS } from './inputs-tables';
import { MonitoringEventsListener } from './monitoring-events.listener';
import { ReadinessEventsListener } from './readiness-events.listener';

/** Creates the inputs' tables at start, before the consumers (which write them) run. */
@Injectable()
export class InputsSetup implements OnModuleInit {
  constructor(@Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions) {}

  onModuleInit(): Promise<void> {
    return ENGAGEMENT_INPUTS.setUp(this.options.pool);
  }
}

/**
 * The inputs from other services: their tables, the four listeners writing them, the queries (`EngagementInputs`)
 * and the hooks told of changes (`InputsChanged`).
 */
export const INPUTS_PROVIDERS: Provider[] = [
  InputsSetup,
  InputsChanged,
  EngagementInputs,
  ControlMappingEventsListener,
  EvidenceEventsListener,
  MonitoringEventsListener,
  ReadinessEventsListener,
];
