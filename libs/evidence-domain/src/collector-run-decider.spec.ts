import { checkedSpec, ITEM_ID, priya, RUN_ID, T1 } from './decider-test-support';
import type { CollectorRunStarted } from './evidence-events';
import { collectorRunDecider, type CollectorRunCommand } from './collector-run-decider';

const spec = checkedSpec(collectorRunDecider, RUN_ID);
const FINISHED = '2026-07-01T06:00:04.000Z';

const start: CollectorRunCommand = {
  type: 'StartCollectorRun',
  runId: RUN_ID,
  collectorId: 'postgresql-security',
  collectorVersion: '1.0.0',
  config: { host: 'db.internal', port: 5432, password: '[redacted]' },
  trigger: 'api',
  at: T1,
  actor: priya,
};
const started: CollectorRunStarted = {
  type: 'CollectorRunStarted',
  data: {
    runId: RUN_ID,
    collectorId: 'postgresql-security',
    collectorVersion: '1.0.0',
    config: { host: 'db.internal', port: 5432, password: '[redacted]' },
    trigger: 'api',
    startedAt: T1,
    actor: priya,
  },
};
const fact = { resourceType: 'postgresql.role', resourceId: 'app_admin', attributes: { superuser: true } };
const succeed: CollectorRunCommand = {
  type: 'CompleteCollectorRun',
  runId: RUN_ID,
  outcome: { status: 'succeeded', facts: [fact], evidenceItemIds: [ITEM_ID, ITEM_ID] },
  at: FINISHED,
  actor: priya,
};
const fail: CollectorRunCommand = {
  type: 'CompleteCollectorRun',
  runId: RUN_ID,
  outcome: { status: 'failed', error: { code: 'connection-refused', message: 'connect ECONNREFUSED' } },
  at: FINISHED,
  actor: priya,
};

describe('collector runs', () => {
  it('records the start with the (redacted) configuration', () => {
    spec.given([]).when(start).then([started]);
  });

  it('records a success with its facts and each submitted item once', () => {
    spec
      .given([started])
      .when(succeed)
      .then([
        {
          type: 'CollectorRunSucceeded',
          data: {
            runId: RUN_ID,
            collectorId: 'postgresql-security',
            facts: [fact],
            evidenceItemIds: [ITEM_ID],
            finishedAt: FINISHED,
            actor: priya,
          },
        },
      ]);
  });

  it('records a failure with its error', () => {
    spec
      .given([started])
      .when(fail)
      .then([
        {
          type: 'CollectorRunFailed',
          data: {
            runId: RUN_ID,
            collectorId: 'postgresql-security',
            error: { code: 'connection-refused', message: 'connect ECONNREFUSED' },
            finishedAt: FINISHED,
            actor: priya,
          },
        },
      ]);
  });

  it('refuses to finish a run that never started, or finished already', () => {
    spec.given([]).when(succeed).thenRefuses('collector-run-not-found');
    const [done] = collectorRunDecider.decide(fail, collectorRunDecider.evolve({ kind: 'none' }, started));
    spec.given([started, done]).when(succeed).thenRefuses('collector-run-finished');
    spec.given([started, done]).when(fail).thenRefuses('collector-run-finished');
  });

  it('refuses to start a run twice', () => {
    spec.given([started]).when(start).thenRefuses('collector-run-exists');
  });
});
