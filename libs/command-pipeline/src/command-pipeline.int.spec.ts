import { randomUUID } from 'node:crypto';
import { DomainError, type Decider } from '@attest/decider';
import {
  ConcurrencyError,
  PostgresEventStore,
  ProjectionRunner,
  sqlIdent,
  type LogPosition,
  type Projection,
} from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { AggregateDeclaration } from './aggregate-declaration';
import { principalContext, systemContext, type CommandContext } from './command-context';
import { CommandPipeline, type CommandPipelineOptions } from './command-pipeline';
import type { EventContracts } from './event-contracts-check';
import { CommandRejectedError, StaleVersionError } from './pipeline-errors';
import { projectionReadModels } from './projection-read-models';

// A review collects noted items; closing it raises a finding per item on the finding's own stream.
type ReviewEvent =
  | { type: 'ReviewOpened'; data: { reviewId: string } }
  | { type: 'ItemNoted'; data: { reviewId: string; item: string } }
  | { type: 'ReviewClosed'; data: { reviewId: string } }
  | { type: 'FindingRaised'; data: { findingId: string; reviewId: string; item: string } };
type ReviewCommand =
  | { type: 'Open'; reviewId: string }
  | { type: 'Note'; reviewId: string; item: string }
  | { type: 'Close'; reviewId: string; findingIds: string[] };
type ReviewState = { status: 'none' } | { status: 'open' | 'closed'; items: string[] };

const reviewDecider: Decider<ReviewCommand, ReviewEvent, ReviewState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'ReviewOpened':
        return { status: 'open', items: [] };
      case 'ItemNoted':
        return s.status === 'none' ? s : { ...s, items: [...s.items, e.data.item] };
      case 'ReviewClosed':
        return s.status === 'none' ? s : { ...s, status: 'closed' };
      case 'FindingRaised':
        return s;
    }
  },
  decide: (c, s) => {
    if (c.type === 'Open') {
      if (s.status !== 'none') throw new DomainError('review-exists', 'review exists');
      return [{ type: 'ReviewOpened', data: { reviewId: c.reviewId } }];
    }
    if (s.status !== 'open') throw new DomainError('review-not-open', 'review is not open');
    if (c.type === 'Note')
      return s.items.includes(c.item)
        ? []
        : [{ type: 'ItemNoted', data: { reviewId: c.reviewId, item: c.item } }];
    return [
      { type: 'ReviewClosed', data: { reviewId: c.reviewId } },
      ...s.items.map((item, i): ReviewEvent => ({
        type: 'FindingRaised',
        data: { findingId: c.findingIds[i], reviewId: c.reviewId, item },
      })),
    ];
  },
};

class ReviewNotFound extends Error {}

function reviewAggregate(
  overrides: Partial<AggregateDeclaration<ReviewCommand, ReviewEvent, ReviewState>> = {},
): AggregateDeclaration<ReviewCommand, ReviewEvent, ReviewState> {
  return {
    streamType: 'review',
    decider: reviewDecider,
    streamIdOf: (c) => c.reviewId,
    eventStream: (e) =>
      e.type === 'FindingRaised'
        ? { streamId: e.data.findingId, streamType: 'finding' }
        : { streamId: e.data.reviewId, streamType: 'review' },
    notFound: (id) => new ReviewNotFound(`review ${id} does not exist`),
    ...overrides,
  };
}

// A digest counts the items of the reviews it summarizes, which `prepare` reads from their streams.
type DigestCommand = { type: 'Summarize'; digestId: string; reviewIds: string[]; counts?: number[] };
type DigestEvent = { type: 'DigestWritten'; data: { digestId: string; counts: number[] } };
const digestAggregate = (
  beforeDecide: () => Promise<void> = async () => undefined,
): AggregateDeclaration<DigestCommand, DigestEvent, { counts: number[] }> => ({
  streamType: 'digest',
  decider: {
    initialState: () => ({ counts: [] }),
    evolve: (_s, e) => ({ counts: e.data.counts }),
    decide: (c) => [{ type: 'DigestWritten', data: { digestId: c.digestId, counts: c.counts ?? [] } }],
  },
  streamIdOf: (c) => c.digestId,
  async prepare(command, _state, streams) {
    const counts: number[] = [];
    for (const id of command.reviewIds) {
      const { state } = await streams.load(reviewAggregate(), id);
      counts.push(state.status === 'none' ? 0 : state.items.length);
    }
    await beforeDecide();
    return { ...command, counts };
  },
  notFound: (id) => new Error(`digest ${id} does not exist`),
});

/** Lets the first `parties` arrivals through together, so their commands read the same version; later ones pass. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived++;
    if (arrived === parties) open();
    return arrived <= parties ? opened : Promise.resolve();
  };
}

/** A review aggregate whose decisions first wait at a barrier, counting how often it decided. */
function racingReviews(
  parties: number,
  overrides: Partial<AggregateDeclaration<ReviewCommand, ReviewEvent, ReviewState>> = {},
) {
  const arrive = barrier(parties);
  const counter = { decisions: 0 };
  const aggregate = reviewAggregate({
    prepare: async (command) => {
      counter.decisions++;
      await arrive();
      return command;
    },
    ...overrides,
  });
  return { aggregate, counter };
}

const settled = (outcomes: PromiseSettledResult<unknown>[]) => ({
  fulfilled: outcomes.filter((o) => o.status === 'fulfilled').length,
  errors: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : [])),
});

describe('CommandPipeline (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pipeline: CommandPipeline;
  const acme = principalContext(
    { kind: 'user', subject: 'u-1', actorId: 'user:u-1', displayName: 'Ada', tenant: 'acme' },
    { correlationId: 'req-1' },
  );
  const globex = principalContext({ kind: 'user', subject: 'u-2', actorId: 'user:u-2', tenant: 'globex' });

  const pipelineWith = (options: Partial<CommandPipelineOptions>) =>
    new CommandPipeline({ store, ...options });
  const eventsOf = async (streamId: string) => (await store.readStream(streamId)).events;
  const eventCount = async () =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);

  async function openReview(context: CommandContext = acme, items: string[] = []): Promise<string> {
    const reviewId = `review-${randomUUID()}`;
    await pipeline.run(reviewAggregate(), context, { type: 'Open', reviewId });
    for (const item of items)
      await pipeline.run(reviewAggregate(), context, { type: 'Note', reviewId, item });
    return reviewId;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    pipeline = pipelineWith({});
  });
  afterAll(() => db.drop());

  it('runs a command on one stream: returns the events, the new version and state; metadata from the context', async () => {
    const reviewId = await openReview();
    const outcome = await pipeline.run(reviewAggregate(), acme, { type: 'Note', reviewId, item: 'mfa' });
    expect(outcome.version).toBe(2);
    expect(outcome.state).toEqual({ status: 'open', items: ['mfa'] });
    expect(outcome.events.map((e) => [e.type, e.tenantId, e.streamType, e.streamVersion])).toEqual([
      ['ItemNoted', 'acme', 'review', 2],
    ]);
    expect(outcome.events[0].metadata).toEqual({ actor: 'user:u-1', correlationId: 'req-1' });
    expect(await pipeline.load(reviewAggregate(), 'acme', reviewId)).toEqual({
      state: outcome.state,
      version: 2,
    });
  });

  it('a decision of no events appends nothing and answers the current version', async () => {
    const reviewId = await openReview(acme, ['mfa']);
    const outcome = await pipeline.run(reviewAggregate(), acme, { type: 'Note', reviewId, item: 'mfa' });
    expect(outcome).toEqual({ events: [], version: 2, state: { status: 'open', items: ['mfa'] } });
  });

  it('appends a decision spanning streams atomically: the command stream and the new streams', async () => {
    const reviewId = await openReview(acme, ['mfa', 'backups']);
    const findingIds = [`finding-${randomUUID()}`, `finding-${randomUUID()}`];
    const outcome = await pipeline.run(reviewAggregate(), acme, { type: 'Close', reviewId, findingIds });
    expect(outcome.version).toBe(4);
    expect(outcome.state).toEqual({ status: 'closed', items: ['mfa', 'backups'] });
    expect(outcome.events.map((e) => [e.streamId, e.streamType, e.streamVersion])).toEqual([
      [reviewId, 'review', 4],
      [findingIds[0], 'finding', 1],
      [findingIds[1], 'finding', 1],
    ]);
    expect(new Set(outcome.events.map((e) => e.position.transactionId)).size).toBe(1);
  });

  it('a conflict on any stream of the batch appends nothing, also after every retry', async () => {
    const reviewId = await openReview(acme, ['mfa']);
    const taken = `finding-${randomUUID()}`;
    await store.append({
      tenantId: 'acme',
      streamId: taken,
      streamType: 'finding',
      expectedVersion: 'no-stream',
      events: [{ type: 'FindingRaised', data: { findingId: taken, reviewId: 'elsewhere', item: 'x' } }],
    });
    const before = await eventCount();
    const close = { type: 'Close' as const, reviewId, findingIds: [taken] };
    for (const p of [pipeline, pipelineWith({ maxAttempts: 2 })])
      await expect(p.run(reviewAggregate(), acme, close)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      pipeline.run(reviewAggregate({ retryOnConflict: false }), acme, close),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await eventCount()).toBe(before);
    expect((await pipeline.load(reviewAggregate(), 'acme', reviewId)).state.status).toBe('open');
  });

  it('of two racing commands one wins per attempt; the loser decides again on fresh state', async () => {
    const reviewId = await openReview();
    const { aggregate, counter } = racingReviews(2);
    const outcomes = await Promise.all(
      ['mfa', 'backups'].map((item) => pipeline.run(aggregate, acme, { type: 'Note', reviewId, item })),
    );
    expect(outcomes.map((o) => o.version).sort()).toEqual([2, 3]);
    expect(counter.decisions).toBe(3);
    const final = await pipeline.load(reviewAggregate(), 'acme', reviewId);
    expect(final.state.status !== 'none' && [...final.state.items].sort()).toEqual(['backups', 'mfa']);
  });

  it('a command not safe to retry loses its race with ConcurrencyError', async () => {
    const reviewId = await openReview();
    const { aggregate, counter } = racingReviews(2, { retryOnConflict: false });
    const { fulfilled, errors } = settled(
      await Promise.allSettled(
        ['mfa', 'backups'].map((item) => pipeline.run(aggregate, acme, { type: 'Note', reviewId, item })),
      ),
    );
    expect(fulfilled).toBe(1);
    expect(errors).toEqual([expect.any(ConcurrencyError)]);
    expect(counter.decisions).toBe(2);
    expect(await store.streamVersion(reviewId)).toBe(2);
  });

  describe('expected version (If-Match)', () => {
    it('runs when the stream is at the expected version', async () => {
      const reviewId = await openReview(acme, ['mfa']);
      const outcome = await pipeline.run(
        reviewAggregate(),
        acme,
        { type: 'Note', reviewId, item: 'backups' },
        { expectedVersion: 2 },
      );
      expect(outcome.version).toBe(3);
    });

    it('refuses a stale version before deciding and appends nothing', async () => {
      const reviewId = await openReview(acme, ['mfa']);
      const decide = jest.fn(reviewDecider.decide);
      const aggregate = reviewAggregate({ decider: { ...reviewDecider, decide } });
      const run = pipeline.run(
        aggregate,
        acme,
        { type: 'Note', reviewId, item: 'backups' },
        { expectedVersion: 1 },
      );
      await expect(run).rejects.toEqual(new StaleVersionError(reviewId, 1, 2));
      await expect(run).rejects.toMatchObject({ streamId: reviewId, expectedVersion: 1, currentVersion: 2 });
      expect(decide).not.toHaveBeenCalled();
      expect(await store.streamVersion(reviewId)).toBe(2);
    });

    it('of two racing edits with the same expected version one wins, the other is stale and never retried', async () => {
      const reviewId = await openReview(acme, ['mfa']);
      const { aggregate, counter } = racingReviews(2);
      const { fulfilled, errors } = settled(
        await Promise.allSettled(
          ['backups', 'logging'].map((item) =>
            pipeline.run(aggregate, acme, { type: 'Note', reviewId, item }, { expectedVersion: 2 }),
          ),
        ),
      );
      expect(fulfilled).toBe(1);
      expect(errors).toEqual([new StaleVersionError(reviewId, 2, 3)]);
      expect(counter.decisions).toBe(2);
      expect(await store.streamVersion(reviewId)).toBe(3);
    });
  });

  describe('streams that are not the caller’s', () => {
    it("another tenant's stream is not found, before anything is decided, and nothing is appended", async () => {
      const reviewId = await openReview(globex, ['payroll']);
      const decide = jest.fn(reviewDecider.decide);
      const aggregate = reviewAggregate({ decider: { ...reviewDecider, decide } });
      const before = await eventCount();
      await expect(pipeline.run(aggregate, acme, { type: 'Open', reviewId })).rejects.toBeInstanceOf(
        ReviewNotFound,
      );
      await expect(
        pipeline.run(aggregate, acme, { type: 'Note', reviewId, item: 'x' }, { expectedVersion: 2 }),
      ).rejects.toBeInstanceOf(ReviewNotFound);
      await expect(pipeline.load(aggregate, 'acme', reviewId)).rejects.toBeInstanceOf(ReviewNotFound);
      expect(decide).not.toHaveBeenCalled();
      expect(await eventCount()).toBe(before);
    });

    it('a stream of another aggregate kind is not found', async () => {
      const reviewId = await openReview(acme, ['mfa']);
      const findingId = `finding-${randomUUID()}`;
      await pipeline.run(reviewAggregate(), acme, { type: 'Close', reviewId, findingIds: [findingId] });
      await expect(
        pipeline.run(reviewAggregate(), acme, { type: 'Note', reviewId: findingId, item: 'x' }),
      ).rejects.toBeInstanceOf(ReviewNotFound);
      expect(await eventsOf(findingId)).toHaveLength(1);
    });

    it("a stream read while preparing is refused the same way when it is another tenant's", async () => {
      const foreign = await openReview(globex);
      const digestId = `digest-${randomUUID()}`;
      await expect(
        pipeline.run(digestAggregate(), acme, { type: 'Summarize', digestId, reviewIds: [foreign] }),
      ).rejects.toBeInstanceOf(ReviewNotFound);
      expect(await store.streamVersion(digestId)).toBe(0);
    });
  });

  it('streams read while preparing are appended at the version read: a change to one decides again', async () => {
    const reviewId = await openReview(acme, ['mfa']);
    let interfered = false;
    const aggregate = digestAggregate(async () => {
      if (interfered) return;
      interfered = true;
      await pipeline.run(reviewAggregate(), acme, { type: 'Note', reviewId, item: 'backups' });
    });
    const digestId = `digest-${randomUUID()}`;
    const outcome = await pipeline.run(aggregate, acme, {
      type: 'Summarize',
      digestId,
      reviewIds: [reviewId],
    });
    expect(outcome.state).toEqual({ counts: [2] });
    expect(outcome.events.map((e) => e.streamId)).toEqual([digestId]);
    expect(await store.streamVersion(reviewId)).toBe(3);
  });

  it('refuses an event that breaks its contract, appending nothing of the batch', async () => {
    const contracts: EventContracts = {
      problemsOf: (e) =>
        e.type === 'FindingRaised' && (e.data as { item: string }).item === ''
          ? ['/item must not be empty']
          : [],
    };
    const checked = pipelineWith({ contracts });
    const reviewId = await openReview(acme, ['mfa', '']);
    const before = await eventCount();
    const run = checked.run(reviewAggregate(), acme, {
      type: 'Close',
      reviewId,
      findingIds: [`finding-${randomUUID()}`, `finding-${randomUUID()}`],
    });
    await expect(run).rejects.toEqual(
      new CommandRejectedError('FindingRaised', 'finding', ['/item must not be empty']),
    );
    expect(await eventCount()).toBe(before);
  });

  it('waits for the read models to reach the last appended event, unless told not to', async () => {
    const reached: LogPosition[] = [];
    const readModels = {
      catchUpTo: async (position: LogPosition) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reached.push(position);
      },
    };
    const waiting = pipelineWith({ readModels });
    const reviewId = await openReview(acme, ['mfa']);
    const outcome = await waiting.run(reviewAggregate(), acme, {
      type: 'Close',
      reviewId,
      findingIds: [`finding-${randomUUID()}`],
    });
    expect(reached).toEqual([outcome.events[outcome.events.length - 1].position]);

    await waiting.run(
      reviewAggregate(),
      acme,
      { type: 'Open', reviewId: `review-${randomUUID()}` },
      {
        readYourWrites: false,
      },
    );
    expect(reached).toHaveLength(1);
  });

  it('projection runners as read models: the command returns once they include its events', async () => {
    const noted: Projection = {
      name: 'noted-items',
      eventTypes: ['ItemNoted'],
      setup: async (tx, schema) => {
        await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.noted (review_id text, item text)`);
      },
      reset: async (tx, schema) => {
        await tx.query(`TRUNCATE ${sqlIdent(schema)}.noted`);
      },
      apply: async (tx, schema, events) => {
        for (const e of events) {
          const { reviewId, item } = e.data as { reviewId: string; item: string };
          await tx.query(`INSERT INTO ${sqlIdent(schema)}.noted VALUES ($1, $2)`, [reviewId, item]);
        }
      },
    };
    const runner = new ProjectionRunner(store, noted, 'pipeline_read');
    await runner.setup();
    const behind: string[] = [];
    const readModels = projectionReadModels([runner], { timeoutMs: 50, onBehind: (p) => behind.push(p) });
    const reviewId = await openReview();
    await pipelineWith({ readModels }).run(reviewAggregate(), acme, { type: 'Note', reviewId, item: 'mfa' });
    const rows = await db.pool.query('SELECT item FROM pipeline_read.noted WHERE review_id = $1', [reviewId]);
    expect(rows.rows).toEqual([{ item: 'mfa' }]);
    expect(behind).toEqual([]);

    await readModels.catchUpTo({ transactionId: '999999999999', globalPosition: 1e12 });
    expect(behind).toEqual(['noted-items']);
  });

  it('a reaction runs as system:<name> from a system context; contexts not issued are refused', async () => {
    const reaction = systemContext('acme', 'readiness', { causationId: 'evt-1', correlationId: 'corr-1' });
    const reviewId = `review-${randomUUID()}`;
    const outcome = await pipeline.run(
      reviewAggregate(),
      reaction,
      { type: 'Open', reviewId },
      {
        readYourWrites: false,
      },
    );
    expect(outcome.events[0].metadata).toEqual({
      actor: 'system:readiness',
      causationId: 'evt-1',
      correlationId: 'corr-1',
    });
    await expect(
      pipeline.run(reviewAggregate(), { ...acme, actorId: 'system:readiness' } as CommandContext, {
        type: 'Open',
        reviewId: `review-${randomUUID()}`,
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('loads from a snapshot and the events after it, saving one as the stream crosses each interval', async () => {
    const aggregate = reviewAggregate({ snapshots: { every: 2, schemaVersion: 1 } });
    const reviewId = `review-${randomUUID()}`;
    await pipeline.run(aggregate, acme, { type: 'Open', reviewId });
    for (const item of ['a', 'b', 'c']) await pipeline.run(aggregate, acme, { type: 'Note', reviewId, item });
    const saved = await db.pool.query<{ stream_version: string }>(
      'SELECT stream_version FROM event_store.snapshots WHERE stream_id = $1',
      [reviewId],
    );
    expect(saved.rows.map((r) => Number(r.stream_version))).toEqual([4]);
    // Proof the snapshot is used: doctor it, and the loaded state shows it.
    await db.pool.query(
      `UPDATE event_store.snapshots SET state = '{"status":"open","items":["a","b","from-snapshot"]}' WHERE stream_id = $1`,
      [reviewId],
    );
    expect(await pipeline.load(aggregate, 'acme', reviewId)).toEqual({
      state: { status: 'open', items: ['a', 'b', 'from-snapshot'] },
      version: 4,
    });
  });
});
