import { foldEvents } from '@attest/decider';
import {
  checkedSpec,
  CONTROL_A,
  CONTROL_B,
  ITEM_ID,
  json,
  pdf,
  priya,
  RUN_ID,
  T0,
  T1,
} from './decider-test-support';
import type { EvidenceItemEvent, EvidenceSubmitted, EvidenceVersioned } from './evidence-events';
import { evidenceItemDecider, type EvidenceItemCommand } from './evidence-item-decider';

const spec = checkedSpec(evidenceItemDecider, ITEM_ID);

const submit = (
  overrides: Partial<Extract<EvidenceItemCommand, { type: 'SubmitEvidence' }>> = {},
): EvidenceItemCommand => ({
  type: 'SubmitEvidence',
  itemId: ITEM_ID,
  title: 'Q1 2026 production access review',
  evidenceType: 'attestation',
  controlIds: [CONTROL_A],
  criteria: ['CC6.2', 'CC6.3'],
  period: { from: '2026-01-01', to: '2026-03-31' },
  source: { kind: 'upload' },
  content: pdf,
  tags: ['q1-2026'],
  knownControlIds: [CONTROL_A, CONTROL_B],
  at: T0,
  actor: priya,
  ...overrides,
});

const submitted: EvidenceSubmitted = {
  type: 'EvidenceSubmitted',
  data: {
    itemId: ITEM_ID,
    version: 1,
    title: 'Q1 2026 production access review',
    evidenceType: 'attestation',
    controlIds: [CONTROL_A],
    criteria: ['CC6.2', 'CC6.3'],
    period: { from: '2026-01-01', to: '2026-03-31' },
    source: { kind: 'upload' },
    content: pdf,
    tags: ['q1-2026'],
    submittedAt: T0,
    actor: priya,
  },
};

const addVersion: EvidenceItemCommand = {
  type: 'AddEvidenceVersion',
  itemId: ITEM_ID,
  period: { from: '2026-04-01', to: '2026-06-30' },
  source: { kind: 'collector', collectorId: 'postgresql-security', runId: RUN_ID },
  content: json,
  changeSummary: 'Q2 snapshot',
  at: T1,
  actor: priya,
};

const versioned: EvidenceVersioned = {
  type: 'EvidenceVersioned',
  data: {
    itemId: ITEM_ID,
    version: 2,
    period: { from: '2026-04-01', to: '2026-06-30' },
    source: { kind: 'collector', collectorId: 'postgresql-security', runId: RUN_ID },
    content: json,
    changeSummary: 'Q2 snapshot',
    versionedAt: T1,
    actor: priya,
  },
};

const retain = (at: string, reason = 'Retention schedule RS-3'): EvidenceItemCommand => ({
  type: 'DecideEvidenceRetention',
  itemId: ITEM_ID,
  reason,
  retentionMonths: 84,
  at,
  actor: priya,
});

describe('submitting evidence', () => {
  it('records the first version with its controls, criteria, period, source and content hash', () => {
    spec.given([]).when(submit()).then([submitted]);
  });

  it('records controls, criteria and tags given twice once, and a media type without its parameters', () => {
    const [event] = evidenceItemDecider.decide(
      submit({
        controlIds: [CONTROL_A, CONTROL_A],
        criteria: ['CC6.2', 'CC6.2'],
        tags: ['q1-2026', 'q1-2026'],
        content: { ...json, mediaType: 'Application/JSON; charset=utf-8' },
      }),
      { kind: 'none' },
    );
    expect(event.data).toMatchObject({
      controlIds: [CONTROL_A],
      criteria: ['CC6.2'],
      tags: ['q1-2026'],
      content: { mediaType: 'application/json' },
    });
  });

  it('refuses a control the organization does not have, naming it', () => {
    const refusal = spec
      .given([])
      .when(submit({ controlIds: [CONTROL_A, CONTROL_B], knownControlIds: [CONTROL_A] }))
      .thenRefuses('unknown-control');
    expect(refusal.details).toEqual({ controlIds: [CONTROL_B] });
  });

  it.each([
    ['an unsafe file name', { content: { ...pdf, fileName: '../../etc/passwd' } }, 'unsafe-file-name'],
    [
      'a media type evidence may not have',
      { content: { ...pdf, mediaType: 'text/html' } },
      'unsupported-media-type',
    ],
    [
      'a period that ends before it starts',
      { period: { from: '2026-04-01', to: '2026-03-31' } },
      'invalid-period',
    ],
    [
      'a period with an impossible day',
      { period: { from: '2026-02-01', to: '2026-02-30' } },
      'invalid-period',
    ],
    ['a criterion the catalog does not have', { criteria: ['CC6.2', 'CC99.1'] }, 'unknown-criterion'],
    ['a tag with spaces', { tags: ['Q1 2026'] }, 'invalid-tag'],
    ['a blank title', { title: '  ' }, 'text-required'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'text-too-long'],
    ['an unknown evidence type', { evidenceType: 'selfie' as never }, 'unknown-evidence-type'],
  ])('refuses %s', (_case, overrides, code) => {
    spec.given([]).when(submit(overrides)).thenRefuses(code);
  });

  it('refuses an item id that already exists', () => {
    spec.given([submitted]).when(submit()).thenRefuses('evidence-item-exists');
  });
});

describe('versions', () => {
  it('adds a version numbered one after the latest; earlier versions stay in the stream', () => {
    spec.given([submitted]).when(addVersion).then([versioned]);
    spec
      .given([submitted, versioned])
      .when(addVersion)
      .then([{ ...versioned, data: { ...versioned.data, version: 3 } }]);
  });

  it('refuses a version of an item that does not exist', () => {
    spec.given([]).when(addVersion).thenRefuses('evidence-item-not-found');
  });
});

describe('links to controls', () => {
  const link = (controlId: string, knownControlIds = [CONTROL_A, CONTROL_B]): EvidenceItemCommand => ({
    type: 'LinkEvidenceToControl',
    itemId: ITEM_ID,
    controlId,
    knownControlIds,
    at: T1,
    actor: priya,
  });

  it('links one more control', () => {
    spec
      .given([submitted])
      .when(link(CONTROL_B))
      .then([
        {
          type: 'EvidenceLinkedToControl',
          data: { itemId: ITEM_ID, controlId: CONTROL_B, linkedAt: T1, actor: priya },
        },
      ]);
  });

  it('records nothing for a control already linked', () => {
    spec.given([submitted]).when(link(CONTROL_A)).then([]);
  });

  it('refuses an unknown control', () => {
    spec
      .given([submitted])
      .when(link(CONTROL_B, [CONTROL_A]))
      .thenRefuses('unknown-control');
  });
});

describe('retention', () => {
  // Kept 84 months after the later of the period end (2026-06-30) and the last submission (2026-07-01).
  const history: EvidenceItemEvent[] = [submitted, versioned];

  it('refuses disposal through the last day of the retention period, naming that day', () => {
    const refusal = spec
      .given(history)
      .when(retain('2033-07-01T23:59:00.000Z'))
      .thenRefuses('retention-period-not-over');
    expect(refusal.details).toMatchObject({ retentionEndsOn: '2033-07-01' });
  });

  it('disposes of the content the day after, keeping every version hash in the event', () => {
    spec
      .given(history)
      .when(retain('2033-07-02T08:00:00.000Z'))
      .then([
        {
          type: 'EvidenceRetentionDecided',
          data: {
            itemId: ITEM_ID,
            decision: 'dispose',
            reason: 'Retention schedule RS-3',
            retentionEndedOn: '2033-07-01',
            contentSha256: [pdf.sha256, json.sha256],
            decidedAt: '2033-07-02T08:00:00.000Z',
            actor: priya,
          },
        },
      ]);
  });

  it('counts from the latest period end when it is later than the submission', () => {
    const future = {
      ...versioned,
      data: { ...versioned.data, period: { from: '2026-07-01', to: '2026-12-31' } },
    };
    spec
      .given([submitted, future])
      .when(retain('2033-07-02T08:00:00.000Z'))
      .thenRefuses('retention-period-not-over');
  });

  it('refuses disposal without a reason', () => {
    spec.given(history).when(retain('2034-01-01T00:00:00.000Z', ' ')).thenRefuses('text-required');
  });

  it('refuses everything after disposal: a second decision, a version, a link', () => {
    const [disposed] = evidenceItemDecider.decide(
      retain('2034-01-01T00:00:00.000Z'),
      foldEvents(evidenceItemDecider, history),
    );
    const after = [...history, disposed];
    spec.given(after).when(retain('2035-01-01T00:00:00.000Z')).thenRefuses('evidence-item-disposed');
    spec.given(after).when(addVersion).thenRefuses('evidence-item-disposed');
    spec
      .given(after)
      .when({
        type: 'LinkEvidenceToControl',
        itemId: ITEM_ID,
        controlId: CONTROL_B,
        knownControlIds: [CONTROL_B],
        at: T1,
        actor: priya,
      })
      .thenRefuses('evidence-item-disposed');
  });
});
