import {
  DEADLINE_EVENT_TYPES,
  type DEADLINE_DUE_DATE_FIELDS,
  type DeadlineKind,
  type DeadlineSubject,
} from './deadline';
import type { DeadlineStage } from './deadline-stage';

/** Who raised the event: the deadline sweep (`system:deadline-sweep`), as the command pipeline's context names it. */
export interface DeadlineActor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

/** What every deadline event carries besides its subject ids (the contract schemas' payload). */
interface StageFields {
  deadlineId: string;
  raisedAt: string;
  actor: DeadlineActor;
}

/** The due day, YYYY-MM-DD, under the kind's field name (`DEADLINE_DUE_DATE_FIELDS`). */
type DueDay<K extends DeadlineKind> = { [F in (typeof DEADLINE_DUE_DATE_FIELDS)[K]]: string };

export type DueSoonData<K extends DeadlineKind = DeadlineKind> = DeadlineSubject<K> &
  StageFields &
  DueDay<K> & { daysLeft: number };
export type OverdueData<K extends DeadlineKind = DeadlineKind> = DeadlineSubject<K> &
  StageFields &
  DueDay<K> & { daysOverdue: number };

/** Every deadline event as the store sees it: `type` is the event catalog's store type. */
export type DeadlineEvent = {
  [K in DeadlineKind]:
    | { type: (typeof DEADLINE_EVENT_TYPES)[K]['due-soon']; data: DueSoonData<K> }
    | { type: (typeof DEADLINE_EVENT_TYPES)[K]['overdue']; data: OverdueData<K> };
}[DeadlineKind];
export type DeadlineEventType = DeadlineEvent['type'];

/** The stream type of every deadline, in both services (the catalog's `streamType` of the deadline events). */
export const DEADLINE_STREAM_TYPE = 'deadline';

const STAGE_OF_EVENT_TYPE: ReadonlyMap<string, DeadlineStage> = new Map(
  Object.values(DEADLINE_EVENT_TYPES).flatMap((types) =>
    Object.entries(types).map(([stage, type]) => [type, stage as DeadlineStage]),
  ),
);

/** The stage a deadline event announces. */
export function stageOfEvent(event: DeadlineEvent): DeadlineStage {
  const stage = STAGE_OF_EVENT_TYPE.get(event.type);
  if (!stage) throw new TypeError(`${event.type} is not a deadline event`);
  return stage;
}
