import {
  checkedSpec,
  CONTROL_A,
  CONTROL_B,
  ENGAGEMENT,
  FIRM,
  HASH,
  lead,
  priya,
  staff,
  T0,
  T1,
} from './decider-test-support';
import { engagementDecider, type EngagementCommand } from './engagement-decider';
import type { EngagementEvent, EngagementPlanned, EngagementStatus, Scope } from './engagement-events';

const spec = checkedSpec(engagementDecider, ENGAGEMENT);

const scope: Scope = {
  categories: ['security', 'availability', 'security'],
  controlIds: [CONTROL_A, CONTROL_B, CONTROL_A],
  cuecs: [
    { id: 'CUEC-1', description: 'Customers review their users’ access quarterly.', criteria: ['CC6.2'] },
  ],
  subserviceOrganizations: [
    {
      name: 'Northwind Cloud',
      services: 'Hosting',
      method: 'carve-out',
      csocs: ['Physical access is restricted.'],
    },
  ],
};
const recordedScope: Scope = {
  ...scope,
  categories: ['security', 'availability'],
  controlIds: [CONTROL_A, CONTROL_B],
};

const plan = (
  over: Partial<Extract<EngagementCommand, { type: 'PlanEngagement' }>> = {},
): EngagementCommand => ({
  type: 'PlanEngagement',
  engagementId: ENGAGEMENT,
  firmId: FIRM,
  name: 'SOC 2 Type II 2026',
  engagementType: 'type-2',
  window: { from: '2026-01-01', to: '2026-06-30' },
  scope,
  at: T0,
  actor: priya,
  ...over,
});
const planned: EngagementPlanned = {
  type: 'EngagementPlanned',
  data: {
    engagementId: ENGAGEMENT,
    firmId: FIRM,
    name: 'SOC 2 Type II 2026',
    type: 'type-2',
    window: { from: '2026-01-01', to: '2026-06-30' },
    warnings: [],
    scope: recordedScope,
    plannedAt: T0,
    actor: priya,
  },
};
const typeOne: EngagementPlanned = {
  type: 'EngagementPlanned',
  data: {
    engagementId: ENGAGEMENT,
    firmId: FIRM,
    name: 'SOC 2 Type I',
    type: 'type-1',
    asOf: '2026-06-30',
    warnings: [],
    scope: recordedScope,
    plannedAt: T0,
    actor: priya,
  },
};
const status = (
  from: EngagementStatus,
  to: EngagementStatus,
): Extract<EngagementEvent, { type: 'EngagementStatusChanged' }> => ({
  type: 'EngagementStatusChanged',
  data: { engagementId: ENGAGEMENT, from, to, changedAt: T0, actor: priya },
});
const inFieldwork = [planned, status('planned', 'fieldwork')];
const inReporting = [...inFieldwork, status('fieldwork', 'reporting')];
const files = [
  { format: 'pdf' as const, sha256: HASH, bytes: 1200 },
  { format: 'xlsx' as const, sha256: 'b'.repeat(64), bytes: 300 },
];
const issued = [
  ...inReporting,
  {
    type: 'ReportIssued' as const,
    data: { engagementId: ENGAGEMENT, reportId: CONTROL_B, files, issuedAt: T0, actor: priya },
  },
  status('reporting', 'issued'),
];
const invite = (email: string, auditors = [lead]): Extract<EngagementCommand, { type: 'InviteAuditor' }> => ({
  type: 'InviteAuditor',
  engagementId: ENGAGEMENT,
  email,
  firm: { firmId: FIRM, auditors },
  at: T1,
  actor: priya,
});
const invited = {
  type: 'AuditorInvited' as const,
  data: { engagementId: ENGAGEMENT, firmId: FIRM, auditor: lead, invitedAt: T1, actor: priya },
};
const move = (to: EngagementStatus): EngagementCommand => ({
  type: 'ChangeEngagementStatus',
  engagementId: ENGAGEMENT,
  to,
  at: T1,
  actor: priya,
});

describe('engagements', () => {
  it('plans a Type II engagement over a window, recording each category and control once', () => {
    spec.given([]).when(plan()).then([planned]);
    spec.given([planned]).when(plan()).thenRefuses('engagement-exists');
  });

  it('plans a Type I engagement as of a date, and refuses a window for it or an as-of date for Type II', () => {
    spec
      .given([])
      .when(plan({ name: 'SOC 2 Type I', engagementType: 'type-1', window: undefined, asOf: '2026-06-30' }))
      .then([typeOne]);
    spec
      .given([])
      .when(plan({ engagementType: 'type-1', asOf: '2026-06-30' }))
      .thenRefuses('invalid-window');
    spec
      .given([])
      .when(plan({ engagementType: 'type-1', window: undefined }))
      .thenRefuses('invalid-as-of');
    spec
      .given([])
      .when(plan({ engagementType: 'type-1', window: undefined, asOf: '2026-02-30' }))
      .thenRefuses('invalid-as-of');
    spec
      .given([])
      .when(plan({ asOf: '2026-06-30' }))
      .thenRefuses('invalid-as-of');
    spec
      .given([])
      .when(plan({ window: undefined }))
      .thenRefuses('invalid-window');
  });

  it('warns about a window shorter than 3 or longer than 12 months, and refuses one over 24 months', () => {
    const warningsOf = (from: string, to: string) =>
      engagementDecider.decide(plan({ window: { from, to } }), engagementDecider.initialState())[0].data;
    expect(warningsOf('2026-01-01', '2026-03-31')).toMatchObject({ warnings: [] });
    expect(warningsOf('2026-01-01', '2026-03-30')).toMatchObject({
      warnings: ['window-shorter-than-3-months'],
    });
    expect(warningsOf('2026-01-01', '2026-12-31')).toMatchObject({ warnings: [] });
    expect(warningsOf('2026-01-01', '2027-01-01')).toMatchObject({
      warnings: ['window-longer-than-12-months'],
    });
    expect(warningsOf('2026-01-01', '2027-12-31')).toMatchObject({
      warnings: ['window-longer-than-12-months'],
    });
    spec
      .given([])
      .when(plan({ window: { from: '2026-01-01', to: '2028-01-01' } }))
      .thenRefuses('invalid-window');
    spec
      .given([])
      .when(plan({ window: { from: '2026-06-30', to: '2026-01-01' } }))
      .thenRefuses('invalid-window');
  });

  it('keeps security in every scope and each CUEC once', () => {
    spec
      .given([])
      .when(plan({ scope: { ...scope, categories: ['availability'] } }))
      .thenRefuses('invalid-scope');
    spec
      .given([])
      .when(plan({ scope: { ...scope, cuecs: [...scope.cuecs, ...scope.cuecs] } }))
      .thenRefuses('invalid-scope');
  });

  it('changes the scope while planned or in fieldwork only', () => {
    const change: EngagementCommand = {
      type: 'ChangeEngagementScope',
      engagementId: ENGAGEMENT,
      scope: { ...recordedScope, controlIds: [CONTROL_A] },
      at: T1,
      actor: priya,
    };
    const changed = {
      type: 'EngagementScopeChanged' as const,
      data: {
        engagementId: ENGAGEMENT,
        scope: { ...recordedScope, controlIds: [CONTROL_A] },
        changedAt: T1,
        actor: priya,
      },
    };
    spec.given([planned]).when(change).then([changed]);
    spec.given(inFieldwork).when(change).then([changed]);
    spec
      .given([planned])
      .when({ ...change, scope: recordedScope })
      .then([]);
    spec.given(inReporting).when(change).thenRefuses('scope-locked');
    spec.given([]).when(change).thenRefuses('engagement-not-found');
  });

  it("invites only the firm's auditors, once, and removes them by e-mail", () => {
    spec.given([planned]).when(invite('DANA@cpa.example')).then([invited]);
    spec.given([planned, invited]).when(invite(lead.email)).then([]);
    spec.given([planned]).when(invite(staff.email)).thenRefuses('auditor-not-in-firm');
    spec
      .given([planned])
      .when({ ...invite(lead.email), firm: { firmId: CONTROL_A, auditors: [lead] } })
      .thenRefuses('auditor-not-in-firm');
    const remove: EngagementCommand = {
      type: 'RemoveAuditor',
      engagementId: ENGAGEMENT,
      email: 'Dana@cpa.example',
      at: T1,
      actor: priya,
    };
    const removed = spec
      .given([planned, invited])
      .when(remove)
      .then([
        {
          type: 'AuditorRemoved',
          data: {
            engagementId: ENGAGEMENT,
            auditorId: lead.auditorId,
            email: lead.email,
            removedAt: T1,
            actor: priya,
          },
        },
      ]);
    spec
      .given([planned, invited, ...removed])
      .when(remove)
      .thenRefuses('auditor-not-invited');
    spec
      .given([planned, invited, ...removed])
      .when(invite(lead.email))
      .then([invited]);
  });

  it('records an invited auditor accepting the invitation once, and again after a re-invitation', () => {
    const auditorActor = {
      type: 'user' as const,
      id: 'user:8f14e45f-ceea-467f-a8f5-2b9c3d4e5f60',
      displayName: 'Dana Whitfield',
    };
    const accept = (email: string): EngagementCommand => ({
      type: 'AcceptInvitation',
      engagementId: ENGAGEMENT,
      email,
      at: T1,
      actor: auditorActor,
    });
    const accepted = spec
      .given([planned, invited])
      .when(accept(' Dana@CPA.example'))
      .then([
        {
          type: 'AuditorInvitationAccepted',
          data: { engagementId: ENGAGEMENT, auditorId: lead.auditorId, acceptedAt: T1, actor: auditorActor },
        },
      ]);
    spec
      .given([planned, invited, ...accepted])
      .when(accept(lead.email))
      .then([]);
    // Only an invited auditor accepts: another of the firm's, or one whose invitation was withdrawn, finds none.
    spec.given([planned, invited]).when(accept(staff.email)).thenRefuses('invitation-not-found');
    const removed = {
      type: 'AuditorRemoved' as const,
      data: {
        engagementId: ENGAGEMENT,
        auditorId: lead.auditorId,
        email: lead.email,
        removedAt: T1,
        actor: priya,
      },
    };
    spec
      .given([planned, invited, ...accepted, removed])
      .when(accept(lead.email))
      .thenRefuses('invitation-not-found');
    spec
      .given([planned, invited, ...accepted, removed, invited])
      .when(accept(lead.email))
      .then(accepted);
    spec.given([planned, invited]).when(accept('not-an-email')).thenRefuses('invalid-email');
    spec.given([]).when(accept(lead.email)).thenRefuses('engagement-not-found');
  });

  it('moves forward one status at a time; issued only by issuing the report', () => {
    spec
      .given([planned])
      .when(move('fieldwork'))
      .then([
        {
          ...status('planned', 'fieldwork'),
          data: { ...status('planned', 'fieldwork').data, changedAt: T1 },
        },
      ]);
    spec.given([planned]).when(move('reporting')).thenRefuses('invalid-status-transition');
    spec.given(inFieldwork).when(move('planned')).thenRefuses('invalid-status-transition');
    spec.given(inFieldwork).when(move('fieldwork')).then([]);
    spec.given(inReporting).when(move('issued')).thenRefuses('report-required');
    spec.given(issued).when(move('fieldwork')).thenRefuses('invalid-status-transition');
  });

  it('issues the report from reporting with its hashed files, and the engagement with it', () => {
    const issue: EngagementCommand = {
      type: 'IssueReport',
      engagementId: ENGAGEMENT,
      reportId: CONTROL_B,
      files,
      at: T0,
      actor: priya,
    };
    spec.given(inReporting).when(issue).then(issued.slice(inReporting.length));
    spec.given(inFieldwork).when(issue).thenRefuses('engagement-not-in-reporting');
    spec.given(issued).when(issue).thenRefuses('engagement-not-in-reporting');
    spec
      .given(inReporting)
      .when({ ...issue, files: [...files, files[0]] })
      .thenRefuses('invalid-report-files');
    spec
      .given(inReporting)
      .when({ ...issue, files: [{ ...files[0], sha256: 'not-a-hash' }] })
      .thenRefuses('invalid-report-files');
    spec
      .given(inReporting)
      .when({ ...issue, files: [] })
      .thenRefuses('invalid-report-files');
  });

  it('issues a bridge letter from the day after the window, for issued Type II engagements only', () => {
    const letter = (coversTo: string): Extract<EngagementCommand, { type: 'IssueBridgeLetter' }> => ({
      type: 'IssueBridgeLetter',
      engagementId: ENGAGEMENT,
      letterId: CONTROL_A,
      coversTo,
      sha256: HASH,
      at: T1,
      actor: priya,
    });
    spec
      .given(issued)
      .when(letter('2026-09-30'))
      .then([
        {
          type: 'BridgeLetterIssued',
          data: {
            engagementId: ENGAGEMENT,
            letterId: CONTROL_A,
            coversFrom: '2026-07-01',
            coversTo: '2026-09-30',
            sha256: HASH,
            issuedAt: T1,
            actor: priya,
          },
        },
      ]);
    spec.given(issued).when(letter('2026-06-30')).thenRefuses('invalid-bridge-period');
    spec.given(issued).when(letter('2027-07-01')).thenRefuses('invalid-bridge-period');
    spec
      .given(issued)
      .when({ ...letter('2026-09-30'), sha256: 'x' })
      .thenRefuses('invalid-sha256');
    spec.given(inReporting).when(letter('2026-09-30')).thenRefuses('bridge-letter-not-allowed');
    const typeOneIssued = [typeOne, ...issued.slice(1)];
    spec.given(typeOneIssued).when(letter('2026-09-30')).thenRefuses('bridge-letter-not-allowed');
  });
});
