import { ScheduleOverlapPolicy } from '@temporalio/client';
import { deadlineSweepServices, TenantScheduleSpec, tenantSchedules } from './tenant-schedules';

const spec: TenantScheduleSpec = {
  collectors: [
    { collectorId: 'github-main', every: '6 hours' },
    { collectorId: 'aws-prod', every: '1 day' },
  ],
  monitoringSweepEvery: '1 hour',
  deadlineSweepEvery: '15 minutes',
};

describe('tenantSchedules', () => {
  const planned = tenantSchedules('t-1', spec, 'queue');
  const byId = new Map(planned.map((p) => [p.scheduleId, p]));
  const plan = (id: string) => {
    const found = byId.get(id);
    if (!found) throw new Error(`no schedule ${id} planned`);
    return found;
  };

  it('plans one schedule per collector, one monitoring sweep and one deadline sweep per service', () => {
    expect([...byId.keys()].sort()).toEqual(
      [
        'attest-t-1-collector-github-main',
        'attest-t-1-collector-aws-prod',
        'attest-t-1-monitoring-sweep',
        ...deadlineSweepServices.map((s) => `attest-t-1-deadline-sweep-${s}`),
      ].sort(),
    );
  });

  it('starts each job as its workflow with the tenant, on the given queue, findable by AttestTenantId', () => {
    const collector = plan('attest-t-1-collector-aws-prod');
    expect(collector.action).toMatchObject({
      workflowType: 'collectorRun',
      args: [{ tenantId: 't-1', collectorId: 'aws-prod' }],
      taskQueue: 'queue',
    });
    expect(plan('attest-t-1-deadline-sweep-evidence').action).toMatchObject({
      workflowType: 'deadlineSweep',
      args: [{ tenantId: 't-1', service: 'evidence' }],
    });
    expect(plan('attest-t-1-monitoring-sweep').action).toMatchObject({
      workflowType: 'monitoringSweep',
      args: [{ tenantId: 't-1' }],
    });
    for (const p of planned) {
      expect(p.typedSearchAttributes).toEqual([expect.objectContaining({ value: 't-1' })]);
      expect(p.action.typedSearchAttributes).toEqual(p.typedSearchAttributes);
    }
  });

  it('skips overlapping collector runs, buffers one sweep, and catches up and times out within one interval', () => {
    const collector = plan('attest-t-1-collector-github-main');
    expect(collector.spec.intervals).toEqual([{ every: 6 * 3_600_000 }]);
    expect(collector.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 6 * 3_600_000 });
    expect(collector.action.workflowExecutionTimeout).toBe(6 * 3_600_000);
    const sweep = plan('attest-t-1-deadline-sweep-readiness');
    expect(sweep.policies).toEqual({ overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: 15 * 60_000 });
    expect(sweep.spec.jitter).toBe(90_000);
  });

  it('refuses a tenant id that could reach into another schedule id or the visibility query', () => {
    expect(() => tenantSchedules("t' OR 1=1", spec)).toThrow(/cannot name a schedule/);
  });
});
