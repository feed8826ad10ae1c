import { Injectable } from '@nestjs/common';
import type { DayPeriod } from './monitoring-read-model';
import type { TestRunView } from './monitoring-views';
import { PassRates } from './pass-rates';

/** The runs of the tests proving a control, per day on which any ran (ControlActivity.of). */
export type ControlActivityView = { controlId: string; testIds: string[] } & DayPeriod & {
    days: { day: string; runs: TestRunView[] }[];
  };

/**
 * Whether a control operated on a day, as monitoring saw it: the runs of the tests proving it, grouped by the UTC day
 * they were evaluated on. The Type II observation asks this for each day a control was due (a day absent: nothing
 * proving the control ran), so the days are the read model's runs, as the pass rates count them.
 */
@Injectable()
export class ControlActivity {
  constructor(private readonly passRates: PassRates) {}

  async of(tenantId: string, controlId: string, days: DayPeriod): Promise<ControlActivityView> {
    const { period, testIds, runs: allRuns } = await this.passRates.controlRuns(tenantId, controlId, days);
    const byDay = new Map<string, TestRunView[]>();
    // Oldest first already: grouping keeps the order of days and of runs within one.
    for (const run of allRuns) {
      const day = new Date(run.evaluatedAt).toISOString().slice(0, 10);
      const runs = byDay.get(day);
      if (runs) runs.push(run);
      else byDay.set(day, [run]);
    }
    return { controlId, ...period, testIds, days: [...byDay].map(([day, runs]) => ({ day, runs })) };
  }
}
