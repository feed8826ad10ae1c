import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { KnownControls } from '@attest/service-kit';
import { INPUTS_SCHEMA, MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import { EvidenceFreshnessStore } from './evidence-freshness';
import { ResultStateStore } from './result-states';

/** The tenants' controls as control-mapping's events describe them (what a test's catalog control ids resolve to). */
export const MONITORING_CONTROLS = new KnownControls(INPUTS_SCHEMA);
/** The freshness of the tenants' evidence as the evidence service's events tell it. */
export const EVIDENCE_FRESHNESS = new EvidenceFreshnessStore(INPUTS_SCHEMA);
/** The latest result of every (test, resource), kept by the evaluation as it records results. */
export const RESULT_STATES = new ResultStateStore(INPUTS_SCHEMA);

/** Creates the inputs' tables at start, before the consumers (which write them) run. */
@Injectable()
export class EvaluationInputs implements OnModuleInit {
  constructor(@Inject(MONITORING_OPTIONS) private readonly options: ResolvedOptions) {}

  async onModuleInit(): Promise<void> {
    await MONITORING_CONTROLS.setUp(this.options.pool);
    await EVIDENCE_FRESHNESS.setUp(this.options.pool);
    await RESULT_STATES.setUp(this.options.pool);
  }
}
