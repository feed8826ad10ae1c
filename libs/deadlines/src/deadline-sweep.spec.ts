import { foldEvents } from '@attest/decider';
import { deadlineIdFor, type Deadline } from './deadline';
import { deadlineDecider, type RaiseDeadlineStage } from './deadline-decider';
import type { DeadlineEvent } from './deadline-events';
import { stagesReached, sweepDeadlines, type DeadlineSweepInput } from './deadline-sweep';

const task: Deadline = {
  kind: 'remediation-task',
  taskId: '4a6c8e0b-2d4f-4a6b-8c0d-1e3f5a7b9c2d',
  assessmentId: '3f1c9a52-8d4e-4b7a-9c21-5e6f7a8b9c0d',
  dueDate: '2026-04-15',
};
const review: Deadline = {
  kind: 'risk-review',
  riskId: '7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d5f',
  dueDate: '2026-06-30',
};

/** Deadline streams in memory, decided like the command pipeline does: load, decide, append. */
function memoryStreams() {
  const streams = new Map<string, { tenantId: string; events: DeadlineEvent[] }>();
  const raise: DeadlineSweepInput['raise'] = async (tenantId, command) => {
    const stream = streams.get(command.deadlineId) ?? { tenantId, events: [] };
    if (stream.tenantId !== tenantId) throw new Error('another tenant’s stream');
    const full: RaiseDeadlineStage = { ...command, actor: { type: 'system', id: 'system:deadline-sweep' } };
    const decided = deadlineDecider.decide(full, foldEvents(deadlineDecider, stream.events));
    streams.set(command.deadlineId, { tenantId, events: [...stream.events, ...decided] });
    return decided.length;
  };
  const all = () => [...streams.values()].flatMap((s) => s.events);
  return { raise, all };
}

describe('a deadline sweep', () => {
  it('picks the deadlines due soon or overdue at its time, with their stage', () => {
    const now = new Date('2026-04-10T06:00:00.000Z');
    expect(stagesReached([task, review], now, 7)).toEqual([{ deadline: task, stage: 'due-soon' }]);
    expect(stagesReached([task, review], new Date('2026-07-01T00:00:00.000Z'), 7)).toEqual([
      { deadline: task, stage: 'overdue' },
      { deadline: review, stage: 'overdue' },
    ]);
  });

  it('raises a task due soon, then overdue; run twice, it raises each once', async () => {
    const streams = memoryStreams();
    const sweep = (now: string) =>
      sweepDeadlines({
        tenantIds: ['acme'],
        now: new Date(now),
        dueSoonDays: 7,
        deadlinesOf: async () => [task, review],
        raise: streams.raise,
      });

    expect(await sweep('2026-04-01T06:00:00.000Z')).toEqual({ raised: 0, byKind: {} });
    expect(await sweep('2026-04-10T06:00:00.000Z')).toEqual({ raised: 1, byKind: { 'remediation-task': 1 } });
    expect(await sweep('2026-04-10T07:00:00.000Z')).toEqual({ raised: 0, byKind: {} });
    expect(await sweep('2026-04-16T06:00:00.000Z')).toEqual({ raised: 1, byKind: { 'remediation-task': 1 } });
    expect(await sweep('2026-04-17T06:00:00.000Z')).toEqual({ raised: 0, byKind: {} });
    expect(streams.all().map((e) => [e.type, e.data.raisedAt])).toEqual([
      ['RemediationTaskDueSoon', '2026-04-10T06:00:00.000Z'],
      ['RemediationTaskOverdue', '2026-04-16T06:00:00.000Z'],
    ]);
  });

  it('sweeps each tenant with its own deadlines, on streams of its own', async () => {
    const streams = memoryStreams();
    const seen: string[] = [];
    const result = await sweepDeadlines({
      tenantIds: ['acme', 'globex'],
      now: new Date('2026-07-01T00:00:00.000Z'),
      dueSoonDays: 7,
      deadlinesOf: async (tenantId, dueBy) => {
        seen.push(`${tenantId} due by ${dueBy}`);
        return tenantId === 'acme' ? [task, review] : [task];
      },
      raise: async (tenantId, command) => {
        seen.push(`${tenantId}:${command.deadlineId}`);
        return streams.raise(tenantId, command);
      },
    });
    expect(result).toEqual({ raised: 3, byKind: { 'remediation-task': 2, 'risk-review': 1 } });
    expect(seen).toEqual([
      'acme due by 2026-07-08',
      `acme:${deadlineIdFor('acme', task)}`,
      `acme:${deadlineIdFor('acme', review)}`,
      'globex due by 2026-07-08',
      `globex:${deadlineIdFor('globex', task)}`,
    ]);
  });

  it('raises nothing for a deadline its service no longer lists (a task done, a person who left)', async () => {
    const streams = memoryStreams();
    let live: Deadline[] = [task];
    const sweep = (now: string) =>
      sweepDeadlines({
        tenantIds: ['acme'],
        now: new Date(now),
        dueSoonDays: 7,
        deadlinesOf: async () => live,
        raise: streams.raise,
      });
    await sweep('2026-04-10T06:00:00.000Z');
    live = [];
    expect(await sweep('2026-04-20T06:00:00.000Z')).toEqual({ raised: 0, byKind: {} });
    expect(streams.all().map((e) => e.type)).toEqual(['RemediationTaskDueSoon']);
  });
});

describe('a tenant whose sweep fails', () => {
  it('is reported while the other tenants are still swept', async () => {
    const broken = new Error('read model unavailable');
    const result = await sweepDeadlines({
      tenantIds: ['first', 'second'],
      now: new Date('2026-04-16T06:00:00.000Z'),
      dueSoonDays: 7,
      deadlinesOf: async (tenantId) => {
        if (tenantId === 'first') throw broken;
        return [task];
      },
      raise: async () => 1,
    });
    expect(result).toEqual({
      raised: 1,
      byKind: { 'remediation-task': 1 },
      failures: [{ tenantId: 'first', error: broken }],
    });
  });
});
