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
