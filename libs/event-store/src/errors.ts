/** The stream moved on since the caller read it: reload, decide again, retry. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${expected}, found ${actual}`);
    this.name = 'ConcurrencyError';
  }
}

/** A stream belongs to one tenant for life; writing to it as another tenant is refused. */
export class TenantMismatchError extends Error {
  constructor(
    readonly streamId: string,
    readonly owner: string,
    readonly attempted: string,
  ) {
    super(`stream ${streamId} belongs to tenant ${owner}, not ${attempted}`);
    this.name = 'TenantMismatchError';
  }
}

/**
 * A caller-supplied event id is already recorded for a different event (another stream, type or data). Appending
 * the very same events again is not an error: the store returns the recorded ones.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly recordedIn: string,
  ) {
    super(`event id ${eventId} is already recorded for a different event (stream ${recordedIn})`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * `appendInTransaction` in a transaction that wrote before the tenant's last append and so has an older id (ids are
 * taken at a transaction's first write): its events would sit before that append's in the log (transaction id
 * order), and readers would see them out of order. Retry the whole work in a NEW transaction (a savepoint keeps the
 * old id); it is transient. `appendBatch` never meets it.
 */
export class LogOrderConflictError extends Error {
  constructor(readonly tenantIds: string[]) {
    super(
      `tenant ${tenantIds.join(', ')}: appended by a later transaction since this one began writing; retry in a new transaction`,
    );
    this.name = 'LogOrderConflictError';
  }
}
