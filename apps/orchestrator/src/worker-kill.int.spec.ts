import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { auditStreamIdOf, lifecycleEventId } from '@attest/lifecycle-domain';
import { infraEndpoints } from '@attest/platform-config';
import { startChildService, type ChildService } from '@attest/service-kit';
import type { RecordLifecycleEventInput } from '@attest/workflow-contracts';
import { HELD_AFTER_APPEND } from './testing/held-after-append';
import type { recordOneEvent } from './testing/record-one-event.workflow';

const MAIN = 'apps/orchestrator/src/testing/kill-test-worker-main.ts';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('orchestrator worker killed mid-activity (real Temporal dev server)', () => {
  let db: TestDatabase;
  let connection: Connection;
  const workers: ChildService[] = [];
  const taskQueue = `orchestrator-kill-test-${randomUUID()}`;

  const startWorker = (hold: boolean) => {
    const worker = startChildService(MAIN, {
      ATTEST_ORCHESTRATOR_DATABASE: db.name,
      ATTEST_ORCHESTRATOR_TASK_QUEUE: taskQueue,
      ATTEST_ORCHESTRATOR_RELAY: 'false',
      ATTEST_ORCHESTRATOR_BRIDGE: 'false',
      // Schedules are global on the dev server (the reconcile one has a fixed id): this test must leave none behind.
      ATTEST_ORCHESTRATOR_SCHEDULES: 'false',
      ATTEST_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/attest',
      // This workflow calls no service: the token is never asked for.
      ATTEST_ORCHESTRATOR_CLIENT_SECRET: 'unused',
      ATTEST_TEST_HOLD_AFTER_APPEND: String(hold),
    });
    workers.push(worker);
    return worker;
  };
  const said = (worker: ChildService, message: string) => () =>
    worker.lines.find((l) => typeof l === 'object' && l.message === message);

  beforeAll(async () => {
    db = await createTestDatabase('attest_it_orchestrator');
    connection = await Connection.connect({ address: infraEndpoints().temporalAddress });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await connection?.close();
    await db?.drop();
  });

  it('completes the workflow on a new worker, and the event the killed one appended is recorded once', async () => {
    const tenantId = randomUUID();
    const auditId = `audit-${tenantId}-2026`;
    const input: RecordLifecycleEventInput = {
      workflowId: auditId,
      step: 'phase-1',
      tenantId,
      event: {
        type: 'AuditPhaseChanged',
        data: {
          auditId,
          tenantId,
          period: '2026',
          from: null,
          to: 'readiness',
          reason: 'the audit began',
          changedAt: '2026-01-05T09:00:00.000Z',
        },
      },
    };
    const client = new Client({ connection, namespace: infraEndpoints().temporalNamespace });

    const first = startWorker(true);
    await until('the first worker to poll', said(first, 'orchestrator worker polling'));
    const handle = await client.workflow.start<typeof recordOneEvent>('recordOneEvent', {
      taskQueue,
      workflowId: auditId,
      args: [input],
    });
    await until('the activity to append and hold', said(first, HELD_AFTER_APPEND));
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = startWorker(false);
    const eventId = await handle.result();

    // The retry appended nothing: one event, under the step's id, which the second attempt answered with.
    const events = await db.pool.query<{ event_id: string; stream_id: string; topic: string; data: unknown }>(
      'SELECT event_id, stream_id, topic, data FROM event_store.events WHERE tenant_id = $1',
      [tenantId],
    );
    expect(events.rows).toEqual([
      {
        event_id: lifecycleEventId(handle.workflowId, 'phase-1'),
        stream_id: auditStreamIdOf(auditId),
        // For the outbox relay to publish.
        topic: 'attest.lifecycle.events.v1',
        data: expect.objectContaining({
          auditStreamId: auditStreamIdOf(auditId),
          auditId,
          actor: { type: 'system', id: 'system:audit-lifecycle' },
        }),
      },
    ]);
    expect(eventId).toBe(events.rows[0]!.event_id);
    // It was the second attempt that completed the activity, on the new worker.
    const history = await handle.fetchHistory();
    const completed = history.events!.find((e) => e.activityTaskCompletedEventAttributes);
    const startedId = completed!.activityTaskCompletedEventAttributes!.startedEventId;
    const started = history.events!.find((e) => Number(e.eventId) === Number(startedId));
    expect(started!.activityTaskStartedEventAttributes!.attempt).toBe(2);

    // SIGTERM drains the worker and closes its connections before the process ends (by the signal, re-raised).
    expect(await second.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(said(second, 'orchestrator worker stopped')()).toBeDefined();
  });
});
