import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { withStoreTransaction } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { CloudEvent, EventContext } from '@attest/messaging';
import { buildPopulation } from '@attest/engagement-domain';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import {
  ACME,
  GLOBEX,
  knowControls,
  startEngagement,
  type RunningEngagement,
} from '../testing/engagement-test-app';
import { ControlMappingEventsListener } from './control-mapping-events.listener';
import { EngagementInputs } from './engagement-inputs';
import { EvidenceEventsListener } from './evidence-events.listener';
import { InputsChanged } from './inputs-changed';
import { MonitoringEventsListener } from './monitoring-events.listener';
import { ReadinessEventsListener } from './readiness-events.listener';

jest.setTimeout(120_000);

/** A consumed event as the consumer hands it to a handler (the fields the handlers read). */
function consumed<T>(type: string, tenantId: string, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/attest/test',
    type,
    time: '2026-03-02T10:00:00.000Z',
    tenantid: tenantId,
    streamversion: 1,
    tenantsequence: 1,
    data,
  } as CloudEvent<T>;
}

const COUNTS = { pass: 3, fail: 0, error: 0, notApplicable: 0, excepted: 0 };

/**
 * What the four consumers keep of the other services' events (in the consumer's transaction) and what the queries
 * make of it: populations' material, evidence that answers a request, the system description; and the hook told
 * which controls' inputs changed.
 */
describe('the engagement inputs (real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningEngagement;
  let inputs: EngagementInputs;
  const told: [string, string[]][] = [];
  // HR-01-like control adopting a human-resources catalog control, and a custom control a custom test proves.
  const onboarding = {
    controlId: randomUUID(),
    code: 'HR-02',
    catalogControlId: 'HR-02',
    name: 'Onboarding',
    frequency: 'per-event' as const,
    criteria: ['CC1.4'],
  };
  const custom = {
    controlId: randomUUID(),
    code: 'OWN-01',
    name: 'Buckets versioned',
    frequency: 'daily' as const,
    criteria: ['CC7.2'],
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_inputs');
    service = await startEngagement({ pool: db.pool });
    inputs = service.app.get(EngagementInputs);
    service.app.get(InputsChanged).register(async (_tx, tenantId, controlIds) => {
      told.push([tenantId, [...controlIds]]);
    });
    await knowControls(service, ACME, [onboarding, custom]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** Runs handlers as one consumed record would: in one transaction. */
  const deliver = (run: (context: EventContext) => Promise<void>) =>
    withStoreTransaction(service.app.get<ResolvedOptions>(ENGAGEMENT_OPTIONS).pool, (tx: PoolClient) =>
      run({ tx } as EventContext),
    );

  it('keeps evidence with its versions and links, and finds what answers a request for a period', async () => {
    const evidence = service.app.get(EvidenceEventsListener);
    const itemId = randomUUID();
    told.length = 0;
    await deliver((c) =>
      evidence.onEvidenceSubmitted(
        consumed('io.attest.evidence.evidence-submitted.v1', ACME, {
          itemId,
          version: 1,
          title: 'Versioning settings',
          evidenceType: 'config-snapshot',
          controlIds: [custom.controlId],
          period: { from: '2026-02-01', to: '2026-02-28' },
          source: { kind: 'upload' as const },
          submittedAt: '2026-03-01T09:00:00.000Z',
        }),
        c,
      ),
    );
    await deliver((c) =>
      evidence.onEvidenceVersioned(
        consumed('io.attest.evidence.evidence-versioned.v1', ACME, {
          itemId,
          version: 2,
          period: { from: '2026-03-01', to: '2026-03-31' },
          source: { kind: 'collector' as const, collectorId: 'aws', runId: 'run-7' },
          versionedAt: '2026-04-01T09:00:00.000Z',
        }),
        c,
      ),
    );
    expect(told).toEqual([
      [ACME, [custom.controlId]],
      [ACME, [custom.controlId]],
    ]);
    const march = await inputs.evidenceFor(ACME, custom.controlId, 'config-snapshot', {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(march).toEqual([
      {
        kind: 'evidence-item',
        id: itemId,
        version: 2,
        label: 'Versioning settings',
        at: '2026-04-01T09:00:00.000Z',
      },
    ]);
    expect(
      await inputs.evidenceFor(ACME, custom.controlId, 'config-snapshot', {
        from: '2026-05-01',
        to: '2026-05-31',
      }),
    ).toEqual([]);
    expect(
      await inputs.evidenceFor(ACME, custom.controlId, 'screenshot', {
        from: '2026-03-01',
        to: '2026-03-31',
      }),
    ).toEqual([]);
    // Another tenant's inputs never answer.
    expect(
      await inputs.evidenceFor(GLOBEX, custom.controlId, undefined, { from: '2026-01-01', to: '2026-12-31' }),
    ).toEqual([]);
  });

  it('keeps test runs of the tests proving a control (first chunk only) as its population and its evidence', async () => {
    const monitoring = service.app.get(MonitoringEventsListener);
    await deliver((c) =>
      monitoring.onTestDefined(
        consumed('io.attest.monitoring.monitoring-test-defined.v1', ACME, {
          testId: 'bucket-versioning',
          definition: { controls: { catalogControlIds: [], controlIds: [custom.controlId] } },
        }),
        c,
      ),
    );
    told.length = 0;
    for (const [runId, evaluatedAt, index] of [
      ['r1', '2026-03-02T08:00:00.000Z', 0],
      ['r1', '2026-03-02T08:00:00.000Z', 1],
      ['r2', '2026-03-02T20:00:00.000Z', 0],
      ['r3', '2026-03-03T08:00:00.000Z', 0],
    ] as const)
      await deliver((c) =>
        monitoring.onTestResultsRecorded(
          consumed('io.attest.monitoring.test-results-recorded.v1', ACME, {
            testId: 'bucket-versioning',
            runId,
            evaluatedAt,
            counts: COUNTS,
            chunk: { index, count: 2 },
          }),
          c,
        ),
      );
    expect(told).toEqual([
      [ACME, [custom.controlId]],
      [ACME, [custom.controlId]],
      [ACME, [custom.controlId]],
    ]);
    const built = await inputs.populationInputs(ACME, custom.controlId, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(built?.control).toEqual({
      controlId: custom.controlId,
      frequency: 'daily',
      testIds: ['bucket-versioning'],
    });
    if (!built) throw new Error('the control is known');
    expect(built.inputs.testRuns.map((r) => r.runId)).toEqual(['r1', 'r2', 'r3']);
    expect(built.inputs.evidenceItems.map((i) => [i.version, i.source, i.collectorRunId])).toEqual([
      [2, 'collector', 'run-7'],
    ]);
    // One occurrence per test and day (the day's last run), and the evidence version.
    const listing = buildPopulation(built.control, built.inputs, { from: '2026-03-01', to: '2026-03-31' });
    expect(listing.map((o) => o.occurrenceId)).toEqual(
      expect.arrayContaining(['test:bucket-versioning:2026-03-02', 'test:bucket-versioning:2026-03-03']),
    );
    const refs = await inputs.evidenceFor(ACME, custom.controlId, 'log-export', {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(refs).toEqual([
      {
        kind: 'test-run',
        id: 'r3',
        label: 'Monitoring test bucket-versioning',
        at: '2026-03-03T08:00:00.000Z',
      },
    ]);
    expect(
      await inputs.populationInputs(ACME, randomUUID(), { from: '2026-03-01', to: '2026-03-31' }),
    ).toBeNull();
  });

  it('keeps joiners and policy acceptances for human-resources controls', async () => {
    const people = service.app.get(ControlMappingEventsListener);
    const personId = randomUUID();
    const acceptanceId = randomUUID();
    told.length = 0;
    await deliver((c) =>
      people.onPersonJoined(
        consumed('io.attest.control-mapping.person-joined.v1', ACME, { personId, startDate: '2026-03-10' }),
        c,
      ),
    );
    await deliver((c) =>
      people.onPolicyAccepted(
        consumed('io.attest.control-mapping.policy-accepted.v1', ACME, {
          policyId: 'acceptable-use',
          version: '1.2.0',
          acceptanceId,
          person: { personId },
          acceptedAt: '2026-03-11T09:00:00.000Z',
        }),
        c,
      ),
    );
    expect(told).toEqual([
      [ACME, [onboarding.controlId]],
      [ACME, [onboarding.controlId]],
    ]);
    const built = await inputs.populationInputs(ACME, onboarding.controlId, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(built?.inputs.joiners).toEqual([
      {
        personId,
        startDate: '2026-03-10',
        acceptances: [
          {
            acceptanceId,
            policyId: 'acceptable-use',
            version: '1.2.0',
            acceptedAt: '2026-03-11T09:00:00.000Z',
          },
        ],
      },
    ]);
    expect(
      (
        await inputs.evidenceFor(ACME, onboarding.controlId, 'attestation', {
          from: '2026-03-01',
          to: '2026-03-31',
        })
      ).map((r) => r.kind),
    ).toEqual(['policy-acceptance']);
  });

  it("keeps the tenant's latest system description and criterion conclusions", async () => {
    const readiness = service.app.get(ReadinessEventsListener);
    const revise = (revision: number, systemName: string, revisedAt: string) =>
      deliver((c) =>
        readiness.onSystemDescriptionRevised(
          consumed('io.attest.readiness.system-description-revised.v1', ACME, {
            assessmentId: 'a-1',
            revision,
            systemDescription: { systemName },
            revisedAt,
          }),
          c,
        ),
      );
    await revise(2, 'Acme Cloud v2', '2026-03-02T10:00:00.000Z');
    // A redelivered older revision does not win.
    await revise(1, 'Acme Cloud v1', '2026-03-01T10:00:00.000Z');
    expect((await inputs.systemDescription(ACME))?.systemDescription).toEqual({
      systemName: 'Acme Cloud v2',
    });
    expect(await inputs.systemDescription(GLOBEX)).toBeNull();
    await deliver((c) =>
      readiness.onAssessmentCompleted(
        consumed('io.attest.readiness.assessment-completed.v1', ACME, {
          assessmentId: 'a-1',
          criteria: [{ criterionId: 'P1.1', conclusion: 'not-applicable', reason: 'No personal data.' }],
          completedAt: '2026-03-05T10:00:00.000Z',
        }),
        c,
      ),
    );
    expect((await inputs.criterionConclusions(ACME))?.criteria).toEqual([
      { criterionId: 'P1.1', conclusion: 'not-applicable', reason: 'No personal data.' },
    ]);
  });
});
