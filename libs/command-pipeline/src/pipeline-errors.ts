/**
 * The caller's expected version (`If-Match`) is not the stream's: it was changed since the caller read it. Nothing
 * was decided or appended; answer 412 and let the caller read again. Never retried.
 */
export class StaleVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`stream ${streamId} is at version ${currentVersion}, not ${expectedVersion}`);
    this.name = 'StaleVersionError';
  }
}

/**
 * The command would append an event its public contract refuses: the input was invalid in a way the request's
 * validation did not catch. Nothing was appended; answer as invalid input (4xx), never as a server error.
 * The problems name fields and rules, never submitted values.
 */
export class CommandRejectedError extends Error {
  constructor(
    readonly eventType: string,
    readonly streamType: string,
    readonly problems: string[],
  ) {
    super(`the resulting ${eventType} event does not match its contract: ${problems.join('; ')}`);
    this.name = 'CommandRejectedError';
  }
}
