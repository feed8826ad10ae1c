import { criterionById, EVIDENCE_TYPES, type EvidenceType } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import { checkFileName } from './evidence-file-name';
import { evidenceMediaType } from './evidence-media-type';
import { retentionEndsOn } from './evidence-retention';
import {
  EVIDENCE_ITEM_STREAM_TYPE,
  type Actor,
  type EvidenceContent,
  type EvidenceItemEvent,
  type EvidencePeriod,
  type EvidenceSource,
} from './evidence-events';

/** An evidence item as its stream tells it: what the rules of later commands need. */
export interface ExistingEvidenceItem {
  kind: 'item';
  itemId: string;
  controlIds: string[];
  latestVersion: number;
  /** The content hash of each version, in version order. */
  contentSha256: string[];
  /** The latest end of any version's period. */
  latestPeriodTo: string;
  /** When the latest version was recorded. */
  lastSubmittedAt: string;
  disposed: boolean;
}

export type EvidenceItemState = { kind: 'none' } | ExistingEvidenceItem;

interface CommandBase {
  itemId: string;
  /** Business time (ISO 8601). */
  at: string;
  actor: Actor;
}

/** What a new version consists of. */
interface VersionContent {
  period: EvidencePeriod;
  source: EvidenceSource;
  content: EvidenceContent;
}

export type EvidenceItemCommand =
  | (CommandBase &
      VersionContent & {
        type: 'SubmitEvidence';
        title: string;
        description?: string;
        evidenceType: EvidenceType;
        controlIds: readonly string[];
        criteria: readonly string[];
        tags: readonly string[];
        /** The tenant's controls among `controlIds`, as the service's read model knows them (`checkControlsKnown`). */
        knownControlIds: readonly string[];
      })
  | (CommandBase & VersionContent & { type: 'AddEvidenceVersion'; changeSummary?: string })
  | (CommandBase & {
      type: 'LinkEvidenceToControl';
      controlId: string;
      /** As for SubmitEvidence: the tenant's controls the service knows among the one to link. */
      knownControlIds: readonly string[];
    })
  | (CommandBase & {
      type: 'DecideEvidenceRetention';
      reason: string;
      /** `ATTEST_EVIDENCE_RETENTION_MONTHS`. */
      retentionMonths: number;
    });

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 4000;
const CHANGE_SUMMARY_MAX = 2000;
const REASON_MAX = 2000;
const TAG = /^[a-z0-9][a-z0-9._:-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The refusal for an item the tenant does not have (404; also for another tenant's item). */
export function evidenceItemNotFound(itemId: string): DomainError {
  return new DomainError('evidence-item-not-found', `evidence item ${itemId} does not exist`, { itemId });
}

/**
 * Refuses control ids the tenant does not have (`unknown-control`, 422): evidence for a control that does not
 * exist would count for nothing and could hide a gap. The service passes what its read model knows of the ids.
 */
export function checkControlsKnown(controlIds: readonly string[], knownControlIds: readonly string[]): void {
  const known = new Set(knownControlIds);
  const unknown = [...new Set(controlIds)].filter((id) => !known.has(id));
  if (unknown.length)
    throw new DomainError('unknown-control', `the organization has no control ${unknown.join(', ')}`, {
      controlIds: unknown,
    });
}

function isDate(value: string): boolean {
  return DATE.test(value) && new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) === value;
}

function checkPeriod(period: EvidencePeriod): EvidencePeriod {
  if (!isDate(period.from) || !isDate(period.to) || period.from > period.to)
    throw new DomainError('invalid-period', 'the period is two dates (YYYY-MM-DD), from on or before to', {
      period,
    });
  return { from: period.from, to: period.to };
}

/** A required text: trimmed of nothing (what was given is recorded), refused when blank or too long. */
function checkText(field: string, value: string, max: number): string {
  if (!value.trim()) throw new DomainError('text-required', `${field} is required`, { field });
  return checkLength(field, value, max);
}

function checkLength(field: string, value: string, max: number): string {
  if (value.length > max)
    throw new DomainError('text-too-long', `${field} is longer than ${max} characters`, { field, max });
  return value;
}

function checkCriteria(criteria: readonly string[]): string[] {
  const unique = [...new Set(criteria)];
  const unknown = unique.filter((id) => !criterionById(id));
  if (unknown.length)
    throw new DomainError('unknown-criterion', `no Trust Services Criterion ${unknown.join(', ')}`, {
      criteria: unknown,
    });
  return unique;
}

function checkTags(tags: readonly string[]): string[] {
  const unique = [...new Set(tags)];
  const invalid = unique.filter((tag) => !TAG.test(tag));
  if (invalid.length)
    throw new DomainError(
      'invalid-tag',
      'a tag is 1 to 64 lower-case letters, digits and . _ : -, starting with a letter or digit',
      { tags: invalid },
    );
  return unique;
}

/** The version's content as recorded: a safe file name and an allowed media type, without parameters. */
function checkContent(content: EvidenceContent): EvidenceContent {
  return {
    sha256: content.sha256,
    sizeBytes: content.sizeBytes,
    mediaType: evidenceMediaType(content.mediaType),
    fileName: checkFileName(content.fileName),
  };
}

function checkSource(source: EvidenceSource): EvidenceSource {
  return source.kind === 'upload'
    ? { kind: 'upload' }
    : { kind: 'collector', collectorId: source.collectorId, runId: source.runId };
}

function live(state: EvidenceItemState, itemId: string): ExistingEvidenceItem {
  if (state.kind === 'none') throw evidenceItemNotFound(itemId);
  if (state.disposed)
    throw new DomainError('evidence-item-disposed', `evidence item ${itemId} was disposed of`, { itemId });
  return state;
}

function decide(command: EvidenceItemCommand, state: EvidenceItemState): EvidenceItemEvent[] {
  const { itemId, at, actor } = command;
  switch (command.type) {
    case 'SubmitEvidence': {
      if (state.kind !== 'none')
        throw new DomainError('evidence-item-exists', `evidence item ${itemId} already exists`, { itemId });
      if (!(EVIDENCE_TYPES as readonly string[]).includes(command.evidenceType))
        throw new DomainError('unknown-evidence-type', `no evidence type '${command.evidenceType}'`, {
          evidenceType: command.evidenceType,
          evidenceTypes: EVIDENCE_TYPES,
        });
      const controlIds = [...new Set(command.controlIds)];
      checkControlsKnown(controlIds, command.knownControlIds);
      return [
        {
          type: 'EvidenceSubmitted',
          data: {
            itemId,
            version: 1,
            title: checkText('title', command.title, TITLE_MAX),
            ...(command.description?.trim()
              ? { description: checkLength('description', command.description, DESCRIPTION_MAX) }
              : {}),
            evidenceType: command.evidenceType,
            controlIds,
            criteria: checkCriteria(command.criteria),
            period: checkPeriod(command.period),
            source: checkSource(command.source),
            content: checkContent(command.content),
            tags: checkTags(command.tags),
            submittedAt: at,
            actor,
          },
        },
      ];
    }
    case 'AddEvidenceVersion': {
      const item = live(state, itemId);
      return [
        {
          type: 'EvidenceVersioned',
          data: {
            itemId,
            version: item.latestVersion + 1,
            period: checkPeriod(command.period),
            source: checkSource(command.source),
            content: checkContent(command.content),
            ...(command.changeSummary?.trim()
              ? { changeSummary: checkLength('changeSummary', command.changeSummary, CHANGE_SUMMARY_MAX) }
              : {}),
            versionedAt: at,
            actor,
          },
        },
      ];
    }
    case 'LinkEvidenceToControl': {
      const item = live(state, itemId);
      checkControlsKnown([command.controlId], command.knownControlIds);
      // Linking is a wish for a state: an item already linked stays as it is, and a retry records nothing twice.
      if (item.controlIds.includes(command.controlId)) return [];
      return [
        {
          type: 'EvidenceLinkedToControl',
          data: { itemId, controlId: command.controlId, linkedAt: at, actor },
        },
      ];
    }
    case 'DecideEvidenceRetention': {
      const item = live(state, itemId);
      const reason = checkText('reason', command.reason, REASON_MAX);
      const endsOn = retentionEndsOn(item.latestPeriodTo, item.lastSubmittedAt, command.retentionMonths);
      if (new Date(at).toISOString().slice(0, 10) <= endsOn)
        throw new DomainError(
          'retention-period-not-over',
          `evidence item ${itemId} must be kept through ${endsOn}`,
          { itemId, retentionEndsOn: endsOn },
        );
      return [
        {
          type: 'EvidenceRetentionDecided',
          data: {
            itemId,
            decision: 'dispose',
            reason,
            retentionEndedOn: endsOn,
            contentSha256: [...item.contentSha256],
            decidedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: EvidenceItemState, event: EvidenceItemEvent): EvidenceItemState {
  if (event.type === 'EvidenceSubmitted') {
    const { data } = event;
    return {
      kind: 'item',
      itemId: data.itemId,
      controlIds: [...data.controlIds],
      latestVersion: 1,
      contentSha256: [data.content.sha256],
      latestPeriodTo: data.period.to,
      lastSubmittedAt: data.submittedAt,
      disposed: false,
    };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'EvidenceVersioned':
      return {
        ...state,
        latestVersion: event.data.version,
        contentSha256: [...state.contentSha256, event.data.content.sha256],
        latestPeriodTo:
          event.data.period.to > state.latestPeriodTo ? event.data.period.to : state.latestPeriodTo,
        lastSubmittedAt: event.data.versionedAt,
      };
    case 'EvidenceLinkedToControl':
      return { ...state, controlIds: [...state.controlIds, event.data.controlId] };
    case 'EvidenceRetentionDecided':
      return { ...state, disposed: true };
  }
}

/**
 * An evidence item (stream `evidence-item`, id = itemId): its versions are only ever added, its controls only ever
 * linked, and its content disposed of only by a retention decision after the retention period. Every check a
 * request can fail (file name, media type, period, criteria, tags, controls) is here, so a collector's snapshot
 * passes the same rules as an upload.
 */
export const evidenceItemDecider: Decider<EvidenceItemCommand, EvidenceItemEvent, EvidenceItemState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The item aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration (a domain library does not import it). */
export const evidenceItemAggregate = {
  streamType: EVIDENCE_ITEM_STREAM_TYPE,
  decider: evidenceItemDecider,
  streamIdOf: (command: EvidenceItemCommand) => command.itemId,
  notFound: evidenceItemNotFound,
};
