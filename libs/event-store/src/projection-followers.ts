import type { ProjectionRunner } from './projection-runner';

export interface FollowProjectionsOptions {
  /** Passed to `ProjectionRunner.run` (its default when absent). */
  pollIntervalMs?: number;
  /** How long to wait before retrying a runner that failed `failures` times in a row (1 on the first failure). */
  retryDelayMs: (failures: number) => number;
  /** Told of every failure before the wait (the service logs it). */
  onFailure: (runner: ProjectionRunner, error: unknown, delayMs: number) => void;
}

export interface FollowedProjections {
  /** Stops every runner (each finishes the batch in flight) and resolves once all have returned. */
  stop(): Promise<void>;
}

/**
 * Follows the log with every runner in the background until `stop()`: a runner that fails is retried after
 * `retryDelayMs`, a wait that `stop()` cuts short.
 */
export function followProjections(
  runners: readonly ProjectionRunner[],
  options: FollowProjectionsOptions,
): FollowedProjections {
  const abort = new AbortController();
  const signal = abort.signal;

  const follow = async (runner: ProjectionRunner): Promise<void> => {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await runner.run(signal, options.pollIntervalMs);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        const delay = options.retryDelayMs(failures);
        options.onFailure(runner, error, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      }
    }
  };

  const loops = runners.map(follow);
  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}
