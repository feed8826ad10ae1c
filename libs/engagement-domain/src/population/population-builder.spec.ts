import { buildPopulation } from './population-builder';
import type { PopulationControl, PopulationInputs } from './population-inputs';

const WINDOW = { from: '2026-01-01', to: '2026-03-31' };
const counts = (pass: number, fail: number) => ({ pass, fail, error: 0, notApplicable: 0, excepted: 0 });

const backups: PopulationControl = { controlId: 'ctl-backup', frequency: 'daily', testIds: ['backup-ok'] };

const inputs: PopulationInputs = {
  testRuns: [
    { testId: 'backup-ok', runId: 'r2', evaluatedAt: '2026-01-05T18:00:00.000Z', counts: counts(3, 0) },
    { testId: 'backup-ok', runId: 'r1', evaluatedAt: '2026-01-05T06:00:00.000Z', counts: counts(2, 1) },
    // 23:30 at UTC−05:00 is already the next UTC day.
    { testId: 'backup-ok', runId: 'r3', evaluatedAt: '2026-01-05T23:30:00-05:00', counts: counts(3, 0) },
    { testId: 'backup-ok', runId: 'r0', evaluatedAt: '2025-12-31T23:59:59.000Z', counts: counts(3, 0) },
    { testId: 'backup-ok', runId: 'r9', evaluatedAt: '2026-04-01T00:00:00.000Z', counts: counts(3, 0) },
    { testId: 'mfa-on', runId: 'm1', evaluatedAt: '2026-01-05T06:00:00.000Z', counts: counts(1, 0) },
  ],
  evidenceItems: [
    {
      itemId: 'ev-1',
      version: 2,
      title: 'Restore test',
      evidenceType: 'report',
      controlIds: ['ctl-backup', 'ctl-other'],
      period: { from: '2025-12-01', to: '2026-01-01' },
      submittedAt: '2026-01-02T10:00:00.000Z',
      source: 'upload',
    },
    {
      itemId: 'ev-2',
      version: 1,
      title: 'Backup configuration',
      evidenceType: 'config-snapshot',
      controlIds: ['ctl-backup'],
      period: { from: '2026-02-01', to: '2026-02-01' },
      submittedAt: '2026-02-01T03:00:00.000Z',
      source: 'collector',
      collectorRunId: 'cr-7',
    },
    {
      itemId: 'ev-3',
      version: 1,
      title: 'Before the window',
      evidenceType: 'report',
      controlIds: ['ctl-backup'],
      period: { from: '2025-10-01', to: '2025-12-31' },
      submittedAt: '2026-01-03T10:00:00.000Z',
      source: 'upload',
    },
    {
      itemId: 'ev-4',
      version: 1,
      title: 'Another control',
      evidenceType: 'report',
      controlIds: ['ctl-other'],
      period: WINDOW,
      submittedAt: '2026-01-03T10:00:00.000Z',
      source: 'upload',
    },
  ],
  joiners: [
    {
      personId: 'p-1',
      startDate: '2026-02-10',
      acceptances: [
        {
          acceptanceId: 'acc-9',
          policyId: 'POL-ISP',
          version: '1.2.0',
          acceptedAt: '2026-02-11T09:00:00.000Z',
        },
      ],
    },
    { personId: 'p-0', startDate: '2025-12-15', acceptances: [] },
  ],
};

describe('buildPopulation', () => {
  it("lists one occurrence per test and UTC day, evidenced by the day's last run, inside the window only", () => {
    const listing = buildPopulation(backups, inputs, WINDOW).filter((o) => o.kind === 'test-run-day');
    expect(listing).toEqual([
      {
        occurrenceId: 'test:backup-ok:2026-01-05',
        kind: 'test-run-day',
        occurredAt: '2026-01-05T18:00:00.000Z',
        label: 'Test backup-ok on 2026-01-05: 3 pass, 0 fail, 0 error (runs that day: 2)',
        evidence: [{ kind: 'test-run', id: 'r2', label: 'Run of backup-ok', at: '2026-01-05T18:00:00.000Z' }],
      },
      {
        occurrenceId: 'test:backup-ok:2026-01-06',
        kind: 'test-run-day',
        occurredAt: '2026-01-05T23:30:00-05:00',
        label: 'Test backup-ok on 2026-01-06: 3 pass, 0 fail, 0 error (runs that day: 1)',
        evidence: [
          { kind: 'test-run', id: 'r3', label: 'Run of backup-ok', at: '2026-01-05T23:30:00-05:00' },
        ],
      },
    ]);
  });

  it('lists each version of evidence linked to the control whose period overlaps the window', () => {
    const listing = buildPopulation(backups, inputs, WINDOW).filter((o) =>
      o.occurrenceId.startsWith('evidence:'),
    );
    expect(listing.map((o) => [o.occurrenceId, o.kind])).toEqual([
      ['evidence:ev-1:v2', 'evidence-item'],
      ['evidence:ev-2:v1', 'collector-run'],
    ]);
    expect(listing[1].evidence).toEqual([
      {
        kind: 'collector-run',
        id: 'cr-7',
        label: 'Collector run that collected Backup configuration',
        at: '2026-02-01T03:00:00.000Z',
      },
      {
        kind: 'evidence-item',
        id: 'ev-2',
        version: 1,
        label: 'Backup configuration',
        at: '2026-02-01T03:00:00.000Z',
      },
    ]);
  });

  it('lists joiners who started in the window, with their policy acceptances, for human-resources controls only', () => {
    const onboarding: PopulationControl = {
      controlId: 'ctl-hr',
      catalogControlId: 'HR-01',
      frequency: 'per-event',
      testIds: [],
    };
    expect(buildPopulation(onboarding, inputs, WINDOW)).toEqual([
      {
        occurrenceId: 'joiner:p-1',
        kind: 'joiner',
        occurredAt: '2026-02-10T00:00:00.000Z',
        label: 'Joiner p-1 started 2026-02-10 (policies accepted: 1)',
        evidence: [
          {
            kind: 'policy-acceptance',
            id: 'acc-9',
            label: 'Acceptance of policy POL-ISP 1.2.0',
            at: '2026-02-11T09:00:00.000Z',
          },
        ],
      },
    ]);
    const custom: PopulationControl = {
      controlId: 'ctl-hr-2',
      domain: 'human-resources',
      frequency: 'per-event',
      testIds: [],
    };
    expect(buildPopulation(custom, inputs, WINDOW).map((o) => o.occurrenceId)).toEqual(['joiner:p-1']);
    expect(buildPopulation(backups, inputs, WINDOW).some((o) => o.kind === 'joiner')).toBe(false);
  });

  it('gives the same listing whatever order the inputs arrive in', () => {
    const reversed: PopulationInputs = {
      testRuns: [...inputs.testRuns].reverse(),
      evidenceItems: [...inputs.evidenceItems].reverse(),
      joiners: [...inputs.joiners].reverse(),
    };
    expect(buildPopulation(backups, reversed, WINDOW)).toEqual(buildPopulation(backups, inputs, WINDOW));
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => buildPopulation(backups, inputs, { from: '2026-02-01', to: '2026-01-01' })).toThrow(
      RangeError,
    );
  });
});
