import { Injectable } from '@nestjs/common';
import { DomainError } from '@attest/decider';
import {
  controlNotFound,
  controlPassRate,
  passRate,
  passRatesByTest,
  testNotFound,
  type PassRate,
} from '@attest/monitoring-domain';
import { MonitoringReadModel, type DayPeriod } from './monitoring-read-model';
import type { TestRunView } from './monitoring-views';

/**
 * The pass-rate routes' own refusal: a period that ends before it starts. 422, not 400: each date is valid on its
 * own and the OpenAPI document cannot compare two parameters, so it is a documented rule across values.
 */
export const PASS_RATE_REFUSALS = { 'invalid-period': 422 } as const;

type PassRateOfTests = DayPeriod & PassRate & { tests: ({ testId: string } & PassRate)[] };
/** A test's pass rate over a period (`tests`: the test itself). */
export type TestPassRateView = { testId: string } & PassRateOfTests;
/** A control's pass rate over a period, over the tests proving it, with each test's own. */
export type ControlPassRateView = { controlId: string } & PassRateOfTests;

/** Pass rates from the runs recorded in a period (the domain's `pass-rate.ts` over the read model's runs). */
@Injectable()
export class PassRates {
  constructor(private readonly readModel: MonitoringReadModel) {}

  async ofTest(tenantId: string, testId: string, days: DayPeriod): Promise<TestPassRateView> {
    const period = checkedPeriod(days);
    if (!(await this.readModel.test(tenantId, testId))) throw testNotFound(testId);
    const rate = passRate(await this.readModel.runs(tenantId, [testId], period));
    return { testId, ...period, ...rate, tests: [{ testId, ...rate }] };
  }

  async ofControl(tenantId: string, controlId: string, days: DayPeriod): Promise<ControlPassRateView> {
    const { period, testIds, runs } = await this.controlRuns(tenantId, controlId, days);
    const byTest = passRatesByTest(runs);
    return {
      controlId,
      ...period,
      ...controlPassRate(runs, testIds),
      tests: testIds.map((id) => ({ testId: id, ...(byTest.get(id) ?? passRate([])) })),
    };
  }

  /**
   * The runs, oldest first, of the tests proving a control over a period (the checked period, and those tests' ids):
   * what a control's pass rate counts, and what ControlActivity groups by day.
   */
  async controlRuns(
    tenantId: string,
    controlId: string,
    days: DayPeriod,
  ): Promise<{ period: DayPeriod; testIds: string[]; runs: TestRunView[] }> {
    const period = checkedPeriod(days);
    const tests = await this.readModel.testsProving(tenantId, controlId);
    if (!tests) throw controlNotFound(controlId);
    const testIds = tests.map((t) => t.testId);
    return { period, testIds, runs: await this.readModel.runs(tenantId, testIds, period) };
  }
}

/**
 * The period (only its two days), unless it ends before it starts (PASS_RATE_REFUSALS: every period read refuses it
 * so); calendar dates order as their text does.
 */
function checkedPeriod({ from, to }: DayPeriod): DayPeriod {
  if (to < from)
    throw new DomainError('invalid-period', 'the period ends before it starts: to must be on or after from', {
      from,
      to,
    });
  return { from, to };
}
