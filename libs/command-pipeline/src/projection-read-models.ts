import { compareLogPositions, type ProjectionRunner } from '@attest/event-store';
import type { ReadModels } from './command-pipeline';

export interface ProjectionReadModelsOptions {
  /** How long a command waits for the read models before answering anyway (default 10 s). */
  timeoutMs?: number;
  /** Told of each read model still behind at the deadline (the service logs it). */
  onBehind?: (projection: string) => void;
}

/** A service's projection runners as the read models a command waits for. */
export function projectionReadModels(
  runners: readonly ProjectionRunner[],
  options: ProjectionReadModelsOptions = {},
): ReadModels {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async catchUpTo(position) {
      const deadline = Date.now() + timeoutMs;
      for (const runner of runners) {
        for (;;) {
          await runner.catchUp();
          if (compareLogPositions(await runner.checkpoint(), position) >= 0) break;
          // An older transaction still in flight hides newer events from the log for a moment.
          if (Date.now() > deadline) {
            options.onBehind?.(runner.projection.name);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
  };
}
