import { Injectable } from '@nestjs/common';
import {
  controlNotFound,
  controlPassRate,
  passRate,
  passRatesByTest,
  testNotFound,
  type PassRate,
} from '@attest/monitoring-domain';
import { MonitoringReadModel, type DayPeriod } from './monitoring-read-model';

/** A pass rate over a period, of one test or of the tests proving a control, with each test's own. */
export type PassRateView = { testId?: string; controlId?: string } & DayPeriod &
  PassRate & { tests: ({ testId: string } & PassRate)[] };

/** Pass rates from the runs recorded in a period (the domain's `pass-rate.ts` over the read model's runs). */
@Injectable()
export class PassRates {
  constructor(private readonly readModel: MonitoringReadModel) {}

  async of(
    tenantId: string,
    { testId, controlId, from, to }: { testId?: string; controlId?: string } & DayPeriod,
  ): Promise<PassRateView> {
    const period = { from, to };
    if (testId !== undefined) {
      if (!(await this.readModel.test(tenantId, testId))) throw testNotFound(testId);
      const rate = passRate(await this.readModel.runs(tenantId, [testId], period));
      return { testId, ...period, ...rate, tests: [{ testId, ...rate }] };
    }
    const subject = controlId as string;
    const tests = await this.readModel.testsProving(tenantId, subject);
    if (!tests) throw controlNotFound(subject);
    const testIds = tests.map((t) => t.testId);
    const runs = await this.readModel.runs(tenantId, testIds, period);
    const byTest = passRatesByTest(runs);
    return {
      controlId: subject,
      ...period,
      ...controlPassRate(runs, testIds),
      tests: testIds.map((id) => ({ testId: id, ...(byTest.get(id) ?? passRate([])) })),
    };
  }
}
