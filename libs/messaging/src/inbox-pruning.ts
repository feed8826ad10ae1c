import type { Pool } from 'pg';
import { errorFields, type MessagingLogger } from './messaging-logger';

/** How long a consumer group's inbox rows are kept, and how they are deleted. */
export interface InboxRetention {
  /** Rows handled longer ago than this are deleted. Keep it longer than the topics' retention. */
  maxAgeMs: number;
  /** How often the consumer prunes (default 1 h); also once right after it starts. */
  intervalMs: number;
  /** Rows deleted per statement (default 5,000), so no delete holds many row locks or a long transaction. */
  batchSize: number;
}

const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;
const DEFAULT_BATCH_SIZE = 5_000;

/**
 * Deletes the group's inbox rows older than `maxAgeMs`, `batchSize` at a time, each batch its own statement (and
 * transaction), until none is left. Returns how many it deleted.
 */
export async function pruneInbox(
  pool: Pool,
  group: string,
  retention: Pick<InboxRetention, 'maxAgeMs'> & Partial<InboxRetention>,
): Promise<number> {
  const batchSize = retention.batchSize ?? DEFAULT_BATCH_SIZE;
  let total = 0;
  for (;;) {
    const r = await pool.query(
      `DELETE FROM messaging.inbox WHERE consumer_group = $1 AND event_id IN (
         SELECT event_id FROM messaging.inbox
         WHERE consumer_group = $1 AND handled_at < now() - $2::bigint * interval '1 millisecond'
         LIMIT $3)`,
      [group, Math.floor(retention.maxAgeMs), batchSize],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batchSize) return total;
  }
}

/** Prunes a group's inbox now and then in the background, for as long as its consumer runs. */
export class InboxPruner {
  private readonly retention: InboxRetention;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly group: string,
    private readonly logger: MessagingLogger,
    retention: Pick<InboxRetention, 'maxAgeMs'> & Partial<InboxRetention>,
  ) {
    if (!(retention.maxAgeMs > 0)) throw new TypeError('the inbox retention must be positive');
    this.retention = {
      intervalMs: DEFAULT_INTERVAL_MS,
      batchSize: DEFAULT_BATCH_SIZE,
      ...retention,
    };
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops pruning and waits for a prune in flight, so the pool can be ended behind it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.prune().finally(() => {
        this.running = null;
        this.schedule(this.retention.intervalMs);
      });
    }, delayMs);
    // Pruning never keeps a process alive.
    this.timer.unref();
  }

  private async prune(): Promise<void> {
    try {
      const deleted = await pruneInbox(this.pool, this.group, this.retention);
      if (deleted > 0) this.logger.info('inbox pruned', { groupId: this.group, deleted });
    } catch (err) {
      // The next round tries again; an inbox that grows a while longer harms nothing.
      this.logger.warn('inbox pruning failed', { groupId: this.group, ...errorFields(err) });
    }
  }
}
