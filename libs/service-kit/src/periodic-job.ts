import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

/**
 * Background work a service runs in process on an interval (a Nest provider): the first run one interval after the
 * application started, one run at a time, a failed run logged and tried again at the next tick. An interval of 0
 * never runs it (another scheduler calls the work itself). Its timer never keeps a process alive, and it stops,
 * waiting for a run in flight, when the module is destroyed, before the pools it uses are ended.
 */
export class PeriodicJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    readonly name: string,
    readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
  ) {
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 0)
      throw new RangeError(`${name}: the interval is a whole number of milliseconds, 0 or more`);
    this.logger = new Logger(name);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.timer || this.intervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.work()
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.error({
              message: `${this.name} failed; the next run tries again`,
              error: String(error),
            }),
        )
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
