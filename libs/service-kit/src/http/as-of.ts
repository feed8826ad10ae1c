import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { PoolClient } from 'pg';
import { DomainError } from '@attest/decider';
import { projectAsOf, type LogBound, type PostgresEventStore, type Projection } from '@attest/event-store';
import type { Clock } from '../clock';
import { ApiDomainErrors } from './api-problems';

/**
 * `?asOf=` asks a read route for the posture at a past moment of the service's log, by the time events were
 * recorded or by the position of one of the tenant's events. What cannot name such a moment is refused with 422
 * (the moment is a fact of the log, not of the request's syntax): a value of neither form or a time that does not
 * exist (`invalid-as-of`), a time after now (`as-of-in-future`), a position that is not one of the tenant's events
 * (`unknown-log-position`; another tenant's is unknown too).
 */
export const AS_OF_REFUSALS = {
  'invalid-as-of': 422,
  'as-of-in-future': 422,
  'unknown-log-position': 422,
} as const;

/** A past moment of the log: everything recorded by a time, or everything up to one of the tenant's events. */
export type AsOf = { recordedAt: string } | { globalPosition: number };

/** `position:<ce_globalposition>`; at most 15 digits, so the number is exact in JavaScript. */
const POSITION = /^position:([1-9][0-9]{0,14})$/;
/** RFC 3339 `date-time` (section 5.6): a time zone is required; fractions beyond milliseconds are cut. */
const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

export const AS_OF_DESCRIPTION =
  'The posture as of a past moment instead of now: an RFC 3339 date-time (everything recorded until then; ' +
  'write `+` of an offset as `%2B`) or `position:<n>`, the `ce_globalposition` of one of your events (everything ' +
  'up to and including it). Answered from the events replayed into a throwaway read model, so it takes longer ' +
  'than a read of now. 422 for a value of neither form, a future time or a position of none of your events.';

/** The `asOf` query parameter of a route that can answer as of a past moment. */
export class AsOfQueryDto {
  @ApiPropertyOptional({
    description: AS_OF_DESCRIPTION,
    maxLength: 64,
    example: '2026-03-01T09:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  asOf?: string;
}

/** Documents the refusals of `asOf` on a route (the parameter itself comes with AsOfQueryDto). */
export function ApiAsOf() {
  return ApiDomainErrors(...Object.keys(AS_OF_REFUSALS));
}

function dayExists(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Reads `?asOf=`: a time (normalized to UTC, milliseconds) not after `now`, or a log position. */
export function parseAsOf(value: string, now: Date): AsOf {
  const position = POSITION.exec(value);
  if (position) return { globalPosition: Number(position[1]) };
  const time = DATE_TIME.exec(value);
  const at = time ? Date.parse(value.toUpperCase()) : NaN;
  if (!time || Number.isNaN(at) || !dayExists(Number(time[1]), Number(time[2]), Number(time[3])))
    throw new DomainError(
      'invalid-as-of',
      'asOf must be an RFC 3339 date-time with a time zone (e.g. 2026-03-01T09:00:00Z) or position:<n>',
    );
  if (at > now.getTime())
    throw new DomainError('as-of-in-future', 'asOf must not be in the future: the log has nothing there yet');
  return { recordedAt: new Date(at).toISOString() };
}

/** Where the log is cut for an as-of read of a tenant: a time as it is, a position once it is the tenant's. */
export async function logBoundOf(store: PostgresEventStore, tenantId: string, asOf: AsOf): Promise<LogBound> {
  if ('recordedAt' in asOf) return { recordedAt: asOf.recordedAt };
  const position = await store.positionOf(asOf.globalPosition, tenantId);
  if (!position)
    throw new DomainError(
      'unknown-log-position',
      `position ${asOf.globalPosition} is not one of your events (ce_globalposition of an event you received)`,
      { globalPosition: asOf.globalPosition },
    );
  return { position };
}

export interface AsOfReaderOptions<Q> {
  store: PostgresEventStore;
  /** The service's projections, as its runners apply them (personal data revealed): the real read model. */
  projections: readonly Projection[];
  clock: Clock;
  /** The queries over the live read model. */
  live: Q;
  /** The same queries over a read model in another schema, through one connection. */
  queriesAt: (db: PoolClient, schema: string) => Q;
}

/**
 * Answers a read of a service's read model now, or as of a past moment: then the service's projections are
 * replayed from the log up to that moment (the tenant's events only) into a throwaway schema and the same queries
 * run against it (`projectAsOf`). Without `asOf` the live read model answers, as before.
 */
export class AsOfReader<Q> {
  constructor(private readonly options: AsOfReaderOptions<Q>) {}

  async read<T>(tenantId: string, asOf: string | undefined, read: (queries: Q) => Promise<T>): Promise<T> {
    const { store, projections, clock, live, queriesAt } = this.options;
    if (asOf === undefined) return read(live);
    const until = await logBoundOf(store, tenantId, parseAsOf(asOf, clock.now()));
    return projectAsOf(store, projections, until, (db, schema) => read(queriesAt(db, schema)), { tenantId });
  }
}
