import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CommandPipeline } from '@attest/command-pipeline';
import {
  compileTest,
  exceptionHolds,
  SHIPPED_TESTS,
  type CompiledTest,
  type MonitoringExceptionState,
  type MonitoringTestState,
  type TestDefinition,
} from '@attest/monitoring-domain';
import type { KnownControl } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MONITORING_CONTROLS } from './monitoring-inputs';
import { TenantStreams } from './tenant-streams';

/** A test the tenant runs: its current version, compiled. */
export interface ActiveTest {
  definition: TestDefinition;
  /** Shipped tests are version 1 (they change with the release, not through the API). */
  version: number;
  compiled: CompiledTest;
}

/** An accepted exception, in force or not. */
export type Exception = Extract<MonitoringExceptionState, { kind: 'exception' }>;

/** Shipped tests compiled once per process (a spec of the domain proves each compiles). */
const SHIPPED: readonly ActiveTest[] = SHIPPED_TESTS.map(({ fixtures: _fixtures, ...definition }) => ({
  definition,
  version: 1,
  compiled: compileTest(definition),
}));

/**
 * What the evaluation knows of a tenant: its tests (shipped and custom, each version compiled once) and its
 * exceptions, read through the caller's transaction (a consumer's or a sweep's), so a run decides on the truth.
 */
@Injectable()
export class MonitoringKnowledge {
  private readonly logger = new Logger(MonitoringKnowledge.name);
  private readonly customTests: TenantStreams<MonitoringTestState, ActiveTest | null>;
  private readonly exceptions: TenantStreams<MonitoringExceptionState, Exception | null>;

  constructor(pipeline: CommandPipeline, aggregates: MonitoringAggregates) {
    this.customTests = new TenantStreams(pipeline, aggregates.test, (state) => this.compiled(state));
    this.exceptions = new TenantStreams(pipeline, aggregates.exception, (state) =>
      state.kind === 'exception' ? state : null,
    );
  }

  /** The tenant as of `day` (YYYY-MM-DD, UTC: which exceptions are in force). */
  async of(tenantId: string, tx: PoolClient, day: string): Promise<TenantMonitoring> {
    const custom = (await this.customTests.of(tenantId, tx)).filter((t): t is ActiveTest => t !== null);
    const exceptions = (await this.exceptions.of(tenantId, tx)).filter((e): e is Exception => e !== null);
    return new TenantMonitoring(tenantId, tx, [...SHIPPED, ...custom], exceptions, day);
  }

  private compiled(state: MonitoringTestState): ActiveTest | null {
    if (state.kind === 'none') return null;
    try {
      return {
        definition: state.definition,
        version: state.version,
        compiled: compileTest(state.definition),
      };
    } catch (error) {
      // Compiled when it was defined; only a stricter engine since could refuse it. It is not run, and says so.
      this.logger.error({ message: 'custom test no longer compiles; not run', testId: state.testId, error });
      return null;
    }
  }
}

/** One tenant's tests, exceptions and controls on one day, for one transaction. */
export class TenantMonitoring {
  private readonly excepted = new Map<string, Set<string>>();

  constructor(
    readonly tenantId: string,
    private readonly tx: PoolClient,
    readonly tests: readonly ActiveTest[],
    /** Every exception ever accepted, expired ones included. */
    readonly exceptions: readonly Exception[],
    /** YYYY-MM-DD (UTC): the day exceptions are in force or not. */
    readonly day: string,
  ) {
    for (const e of exceptions.filter((x) => exceptionHolds(x, day))) {
      const resources = this.excepted.get(e.testId) ?? new Set<string>();
      resources.add(e.resourceId);
      this.excepted.set(e.testId, resources);
    }
  }

  /** Exceptions whose day has come and whose expiry no event records yet. */
  exceptionsDue(): Exception[] {
    return this.exceptions.filter((e) => !e.expired && !exceptionHolds(e, this.day));
  }

  /** The exceptions ever accepted for a resource of a test. */
  exceptionsOf(testId: string, resourceId: string): Exception[] {
    return this.exceptions.filter((e) => e.testId === testId && e.resourceId === resourceId);
  }

  test(testId: string): ActiveTest | undefined {
    return this.tests.find((t) => t.definition.testId === testId);
  }

  /** The resources an exception in force covers for the test. */
  exceptedResources(testId: string): ReadonlySet<string> {
    return this.excepted.get(testId) ?? new Set();
  }

  /** The tenant's controls a test proves: those adopted from its catalog controls, and its own that exist. */
  async controlsProvenBy(definition: TestDefinition): Promise<KnownControl[]> {
    const { catalogControlIds, controlIds } = definition.controls;
    const adopted = await MONITORING_CONTROLS.find(
      this.tx,
      this.tenantId,
      'catalog_control_id',
      catalogControlIds,
    );
    const own = await MONITORING_CONTROLS.find(this.tx, this.tenantId, 'control_id', controlIds);
    const byId = new Map([...adopted, ...own].map((c) => [c.controlId, c]));
    return [...byId.values()];
  }

  /** The tests that prove a control. */
  testsProving(control: KnownControl): ActiveTest[] {
    return this.tests.filter(
      ({ definition: { controls } }) =>
        controls.controlIds.includes(control.controlId) ||
        (control.catalogControlId !== undefined &&
          controls.catalogControlIds.includes(control.catalogControlId)),
    );
  }
}
