import { DomainError, requiredText, type Decider } from '@attest/decider';
import { addDays, addMonths, isCalendarDate } from './engagement-dates';
import {
  ENGAGEMENT_STATUSES,
  ENGAGEMENT_STREAM_TYPE,
  ENGAGEMENT_TYPES,
  REPORT_FORMATS,
  type Actor,
  type DateWindow,
  type EngagementEvent,
  type EngagementStatus,
  type EngagementType,
  type EngagementWarning,
  type FirmAuditor,
  type IssuedFile,
  type Scope,
} from './engagement-events';
import { checkedScope } from './engagement-scope';
import { auditorEmail, SHA256_HEX } from './engagement-values';

export interface PlannedEngagement {
  engagementId: string;
  firmId: string;
  name: string;
  type: EngagementType;
  asOf?: string;
  window?: DateWindow;
  status: EngagementStatus;
  scope: Scope;
  /** The invited auditors, each e-mail once. */
  auditors: FirmAuditor[];
  /** The invited auditors (auditorId) who accepted since they were last invited. */
  acceptedAuditorIds: string[];
}

export type EngagementState = { kind: 'none' } | ({ kind: 'engagement' } & PlannedEngagement);

interface CommandBase {
  engagementId: string;
  at: string;
  actor: Actor;
}

export type EngagementCommand =
  | (CommandBase & {
      type: 'PlanEngagement';
      firmId: string;
      name: string;
      engagementType: EngagementType;
      asOf?: string;
      window?: DateWindow;
      scope: Scope;
    })
  | (CommandBase & { type: 'ChangeEngagementScope'; scope: Scope })
  | (CommandBase & {
      type: 'InviteAuditor';
      email: string;
      /** The engagement's firm as the service loaded it: the invited auditor must be one of its auditors. */
      firm: { firmId: string; auditors: FirmAuditor[] };
    })
  | (CommandBase & { type: 'RemoveAuditor'; email: string })
  | (CommandBase & {
      type: 'AcceptInvitation';
      /** The accepting auditor's verified e-mail, from their token: an invitation is accepted only by its auditor. */
      email: string;
    })
  | (CommandBase & { type: 'ChangeEngagementStatus'; to: EngagementStatus })
  | (CommandBase & { type: 'IssueReport'; reportId: string; files: IssuedFile[] })
  | (CommandBase & { type: 'IssueBridgeLetter'; letterId: string; coversTo: string; sha256: string });

/** The observation window auditors expect of a Type II examination, and the longest the service accepts. */
export const TYPE_2_WINDOW_MONTHS = { usualMin: 3, usualMax: 12, max: 24 } as const;
/** How far past the report period a bridge letter may reach before a new examination is due. */
export const BRIDGE_LETTER_MAX_MONTHS = 12;
const NAME_MAX = 200;

export function engagementNotFound(engagementId: string): DomainError {
  return new DomainError('engagement-not-found', `there is no engagement ${engagementId}`, { engagementId });
}

function planned(state: EngagementState, engagementId: string): PlannedEngagement {
  if (state.kind === 'none') throw engagementNotFound(engagementId);
  return state;
}

/** Type I examines controls as of a date; Type II over a window, usually 3 to 12 months (others warned). */
function period(
  type: EngagementType,
  asOf: string | undefined,
  window: DateWindow | undefined,
): { asOf?: string; window?: DateWindow; warnings: EngagementWarning[] } {
  if (!ENGAGEMENT_TYPES.includes(type))
    throw new DomainError('invalid-request', `an engagement is type-1 or type-2, not '${type}'`, { type });
  if (type === 'type-1') {
    if (window)
      throw new DomainError('invalid-window', 'a Type I engagement has an as-of date, not a window');
    if (!isCalendarDate(asOf))
      throw new DomainError('invalid-as-of', 'a Type I engagement needs an as-of date (YYYY-MM-DD)', {
        asOf,
      });
    return { asOf, warnings: [] };
  }
  if (asOf !== undefined)
    throw new DomainError(
      'invalid-as-of',
      'a Type II engagement has an observation window, not an as-of date',
    );
  if (!window || !isCalendarDate(window.from) || !isCalendarDate(window.to) || window.to < window.from)
    throw new DomainError(
      'invalid-window',
      'a Type II engagement needs a window from one day to a later one',
      {
        window,
      },
    );
  const end = addDays(window.to, 1);
  if (end > addMonths(window.from, TYPE_2_WINDOW_MONTHS.max))
    throw new DomainError('invalid-window', `a window is at most ${TYPE_2_WINDOW_MONTHS.max} months long`, {
      window,
    });
  const warnings: EngagementWarning[] = [];
  if (end < addMonths(window.from, TYPE_2_WINDOW_MONTHS.usualMin))
    warnings.push('window-shorter-than-3-months');
  if (end > addMonths(window.from, TYPE_2_WINDOW_MONTHS.usualMax))
    warnings.push('window-longer-than-12-months');
  return { window: { from: window.from, to: window.to }, warnings };
}

function checkedFiles(files: IssuedFile[]): IssuedFile[] {
  const formats = (files ?? []).map((f) => f.format);
  const valid =
    formats.length > 0 &&
    new Set(formats).size === formats.length &&
    files.every(
      (f) =>
        REPORT_FORMATS.includes(f.format) &&
        SHA256_HEX.test(f.sha256) &&
        Number.isSafeInteger(f.bytes) &&
        f.bytes > 0,
    );
  if (!valid)
    throw new DomainError(
      'invalid-report-files',
      'a report is issued as files of distinct formats, each hashed',
    );
  return files.map(({ format, sha256, bytes }) => ({ format, sha256, bytes }));
}

function decide(command: EngagementCommand, state: EngagementState): EngagementEvent[] {
  const { engagementId, at, actor } = command;
  switch (command.type) {
    case 'PlanEngagement': {
      if (state.kind !== 'none')
        throw new DomainError('engagement-exists', `engagement ${engagementId} is already planned`, {
          engagementId,
        });
      const { asOf, window, warnings } = period(command.engagementType, command.asOf, command.window);
      return [
        {
          type: 'EngagementPlanned',
          data: {
            engagementId,
            firmId: command.firmId,
            name: requiredText('name', command.name, NAME_MAX).trim(),
            type: command.engagementType,
            ...(asOf ? { asOf } : {}),
            ...(window ? { window } : {}),
            warnings,
            scope: checkedScope(command.scope),
            plannedAt: at,
            actor,
          },
        },
      ];
    }
    case 'ChangeEngagementScope': {
      const engagement = planned(state, engagementId);
      // Once testing has moved on to reporting, a changed scope would leave the report's population behind.
      if (engagement.status !== 'planned' && engagement.status !== 'fieldwork')
        throw new DomainError('scope-locked', `the scope of a ${engagement.status} engagement is fixed`, {
          status: engagement.status,
        });
      const scope = checkedScope(command.scope);
      if (JSON.stringify(scope) === JSON.stringify(engagement.scope)) return [];
      return [{ type: 'EngagementScopeChanged', data: { engagementId, scope, changedAt: at, actor } }];
    }
    case 'InviteAuditor': {
      const engagement = planned(state, engagementId);
      const email = auditorEmail(command.email);
      const auditor =
        command.firm.firmId === engagement.firmId
          ? command.firm.auditors.find((a) => a.email === email)
          : undefined;
      if (!auditor)
        throw new DomainError(
          'auditor-not-in-firm',
          `the engagement's firm lists no auditor with this e-mail`,
          {
            firmId: engagement.firmId,
          },
        );
      if (engagement.auditors.some((a) => a.email === email)) return [];
      return [
        {
          type: 'AuditorInvited',
          data: { engagementId, firmId: engagement.firmId, auditor, invitedAt: at, actor },
        },
      ];
    }
    case 'RemoveAuditor': {
      const engagement = planned(state, engagementId);
      const email = auditorEmail(command.email);
      const auditor = engagement.auditors.find((a) => a.email === email);
      if (!auditor)
        throw new DomainError(
          'auditor-not-invited',
          `no auditor with this e-mail is invited to the engagement`,
          {
            engagementId,
          },
        );
      return [
        {
          type: 'AuditorRemoved',
          data: { engagementId, auditorId: auditor.auditorId, email, removedAt: at, actor },
        },
      ];
    }
    case 'AcceptInvitation': {
      const engagement = planned(state, engagementId);
      const email = auditorEmail(command.email);
      const auditor = engagement.auditors.find((a) => a.email === email);
      if (!auditor)
        throw new DomainError('invitation-not-found', 'this engagement has no invitation for you', {
          engagementId,
        });
      if (engagement.acceptedAuditorIds.includes(auditor.auditorId)) return [];
      return [
        {
          type: 'AuditorInvitationAccepted',
          data: { engagementId, auditorId: auditor.auditorId, acceptedAt: at, actor },
        },
      ];
    }
    case 'ChangeEngagementStatus': {
      const engagement = planned(state, engagementId);
      const from = engagement.status;
      if (command.to === from) return [];
      const next = ENGAGEMENT_STATUSES[ENGAGEMENT_STATUSES.indexOf(from) + 1];
      if (command.to !== next)
        throw new DomainError(
          'invalid-status-transition',
          `a ${from} engagement moves on to ${next ?? 'nothing'}`,
          {
            from,
            to: command.to,
          },
        );
      if (next === 'issued')
        throw new DomainError('report-required', 'an engagement is issued by issuing its report');
      return [
        { type: 'EngagementStatusChanged', data: { engagementId, from, to: next, changedAt: at, actor } },
      ];
    }
    case 'IssueReport': {
      const engagement = planned(state, engagementId);
      if (engagement.status !== 'reporting')
        throw new DomainError('engagement-not-in-reporting', 'a report is issued from the reporting status', {
          status: engagement.status,
        });
      const files = checkedFiles(command.files);
      return [
        {
          type: 'ReportIssued',
          data: { engagementId, reportId: command.reportId, files, issuedAt: at, actor },
        },
        {
          type: 'EngagementStatusChanged',
          data: { engagementId, from: 'reporting', to: 'issued', changedAt: at, actor },
        },
      ];
    }
    case 'IssueBridgeLetter': {
      const engagement = planned(state, engagementId);
      if (engagement.type !== 'type-2' || engagement.status !== 'issued' || !engagement.window)
        throw new DomainError(
          'bridge-letter-not-allowed',
          'a bridge letter follows the issued report of a Type II engagement',
          { type: engagement.type, status: engagement.status },
        );
      // A bridge letter covers the time from the end of the report period, so readers see no gap.
      const coversFrom = addDays(engagement.window.to, 1);
      const { coversTo } = command;
      if (
        !isCalendarDate(coversTo) ||
        coversTo < coversFrom ||
        coversTo >= addMonths(coversFrom, BRIDGE_LETTER_MAX_MONTHS)
      )
        throw new DomainError(
          'invalid-bridge-period',
          `a bridge letter covers from ${coversFrom} to a day less than ${BRIDGE_LETTER_MAX_MONTHS} months later`,
          { coversFrom, coversTo },
        );
      if (!SHA256_HEX.test(command.sha256))
        throw new DomainError('invalid-sha256', 'the letter is identified by the hex SHA-256 of its PDF');
      return [
        {
          type: 'BridgeLetterIssued',
          data: {
            engagementId,
            letterId: command.letterId,
            coversFrom,
            coversTo,
            sha256: command.sha256,
            issuedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: EngagementState, event: EngagementEvent): EngagementState {
  if (event.type === 'EngagementPlanned') {
    const { engagementId, firmId, name, type, asOf, window, scope } = event.data;
    return {
      kind: 'engagement',
      engagementId,
      firmId,
      name,
      type,
      ...(asOf ? { asOf } : {}),
      ...(window ? { window } : {}),
      status: 'planned',
      scope,
      auditors: [],
      acceptedAuditorIds: [],
    };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'EngagementScopeChanged':
      return { ...state, scope: event.data.scope };
    case 'AuditorInvited':
      return { ...state, auditors: [...state.auditors, event.data.auditor] };
    case 'AuditorRemoved':
      // A removed auditor invited again accepts again: the old acceptance belonged to the withdrawn invitation.
      return {
        ...state,
        auditors: state.auditors.filter((a) => a.auditorId !== event.data.auditorId),
        acceptedAuditorIds: state.acceptedAuditorIds.filter((id) => id !== event.data.auditorId),
      };
    case 'AuditorInvitationAccepted':
      return { ...state, acceptedAuditorIds: [...state.acceptedAuditorIds, event.data.auditorId] };
    case 'EngagementStatusChanged':
      return { ...state, status: event.data.to };
    case 'ReportIssued':
    case 'BridgeLetterIssued':
      return state;
  }
}

/**
 * An engagement (stream `engagement`, engagementId): a SOC 2 examination of the organization by a registered firm,
 * Type I as of a date or Type II over a window, with its scope, the firm's auditors invited to it (each accepting
 * their invitation themselves), and its status moving one step at a time from planned to fieldwork, reporting and
 * (by issuing the report) issued. Issuing the report records the report's files and the move to `issued` together.
 */
export const engagementDecider: Decider<EngagementCommand, EngagementEvent, EngagementState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The engagement aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const engagementAggregate = {
  streamType: ENGAGEMENT_STREAM_TYPE,
  decider: engagementDecider,
  streamIdOf: (command: EngagementCommand) => command.engagementId,
  notFound: engagementNotFound,
};
