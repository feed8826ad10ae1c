import { DomainError, requiredText, type Decider } from '@attest/decider';
import {
  AUDIT_FIRM_STREAM_TYPE,
  AUDITOR_ROLES,
  DEFAULT_SAMPLE_SIZES,
  type Actor,
  type AuditFirmEvent,
  type AuditorRole,
  type FirmAuditor,
  type SampleSizeTable,
} from './engagement-events';
import { auditorEmail } from './engagement-values';
import { sampleSizeTableProblems } from './sampling';

export type AuditFirmState =
  | { kind: 'none' }
  | {
      kind: 'firm';
      firmId: string;
      name: string;
      sampleSizeTable: SampleSizeTable;
      /** The firm's auditors, each e-mail once. */
      auditors: FirmAuditor[];
    };

interface CommandBase {
  firmId: string;
  at: string;
  actor: Actor;
}

export type AuditFirmCommand =
  | (CommandBase & { type: 'RegisterAuditFirm'; name: string; sampleSizeTable?: SampleSizeTable })
  | (CommandBase & {
      type: 'AddFirmAuditor';
      /** A new random UUID: the auditor's pseudonym (the subject whose key seals their name and e-mail). */
      auditorId: string;
      email: string;
      name: string;
      role: AuditorRole;
    })
  | (CommandBase & { type: 'SetSampleSizeTable'; sampleSizeTable: SampleSizeTable });

const NAME_MAX = 200;

export function firmNotFound(firmId: string): DomainError {
  return new DomainError('firm-not-found', `the organization has no audit firm ${firmId}`, { firmId });
}

function checkedTable(table: SampleSizeTable): SampleSizeTable {
  const problems =
    table && (table.basis === 'frequency' || table.basis === 'population')
      ? sampleSizeTableProblems(table)
      : ["basis must be 'frequency' or 'population'"];
  if (problems.length)
    throw new DomainError('invalid-sample-size-table', `the sample size table is not usable`, { problems });
  return table;
}

function registered(state: AuditFirmState, firmId: string) {
  if (state.kind === 'none') throw firmNotFound(firmId);
  return state;
}

function decide(command: AuditFirmCommand, state: AuditFirmState): AuditFirmEvent[] {
  const { firmId, at, actor } = command;
  switch (command.type) {
    case 'RegisterAuditFirm': {
      if (state.kind !== 'none')
        throw new DomainError('firm-exists', `audit firm ${firmId} is already registered`, { firmId });
      return [
        {
          type: 'AuditFirmRegistered',
          data: {
            firmId,
            name: requiredText('name', command.name, NAME_MAX).trim(),
            sampleSizeTable: checkedTable(command.sampleSizeTable ?? DEFAULT_SAMPLE_SIZES),
            registeredAt: at,
            actor,
          },
        },
      ];
    }
    case 'AddFirmAuditor': {
      const firm = registered(state, firmId);
      const email = auditorEmail(command.email);
      const name = requiredText('name', command.name, NAME_MAX).trim();
      if (!AUDITOR_ROLES.includes(command.role))
        throw new DomainError('invalid-request', `an auditor's role is lead or staff`, {
          role: command.role,
        });
      const listed = firm.auditors.find((a) => a.email === email);
      // A retried request adds nothing; the same e-mail as someone else's would make invitations ambiguous.
      if (listed?.auditorId === command.auditorId && listed.name === name && listed.role === command.role)
        return [];
      if (listed)
        throw new DomainError('auditor-exists', `the firm already lists an auditor with this e-mail`, {
          firmId,
        });
      if (firm.auditors.some((a) => a.auditorId === command.auditorId))
        throw new DomainError('auditor-exists', `the firm already lists auditor ${command.auditorId}`, {
          firmId,
          auditorId: command.auditorId,
        });
      return [
        {
          type: 'FirmAuditorAdded',
          data: {
            firmId,
            auditor: { auditorId: command.auditorId, email, name, role: command.role },
            addedAt: at,
            actor,
          },
        },
      ];
    }
    case 'SetSampleSizeTable': {
      const firm = registered(state, firmId);
      const sampleSizeTable = checkedTable(command.sampleSizeTable);
      if (JSON.stringify(sampleSizeTable) === JSON.stringify(firm.sampleSizeTable)) return [];
      return [{ type: 'SampleSizeTableSet', data: { firmId, sampleSizeTable, setAt: at, actor } }];
    }
  }
}

function evolve(state: AuditFirmState, event: AuditFirmEvent): AuditFirmState {
  if (event.type === 'AuditFirmRegistered') {
    const { firmId, name, sampleSizeTable } = event.data;
    return { kind: 'firm', firmId, name, sampleSizeTable, auditors: [] };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'FirmAuditorAdded':
      return { ...state, auditors: [...state.auditors, event.data.auditor] };
    case 'SampleSizeTableSet':
      return { ...state, sampleSizeTable: event.data.sampleSizeTable };
  }
}

/**
 * An audit firm (stream `audit-firm`, firmId): the CPA firm an organization registers, the auditors it lists (by
 * the e-mail their identity-provider account verifies) and the sample size table it tests by. Only listed auditors
 * can be invited to the firm's engagements.
 */
export const auditFirmDecider: Decider<AuditFirmCommand, AuditFirmEvent, AuditFirmState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The audit firm aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const auditFirmAggregate = {
  streamType: AUDIT_FIRM_STREAM_TYPE,
  decider: auditFirmDecider,
  streamIdOf: (command: AuditFirmCommand) => command.firmId,
  notFound: firmNotFound,
};
