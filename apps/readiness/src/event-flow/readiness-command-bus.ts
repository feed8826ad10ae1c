import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError, foldEvents, type Decider } from '@attest/decider';
import {
  ConcurrencyError,
  handleCommand,
  PostgresEventStore,
  type Aggregate,
  type EventMetadata,
  type RecordedEvent,
  type StreamAppend,
} from '@attest/event-store';
import { assertPublishable, InvalidEventError, type EventTypeRegistry } from '@attest/messaging';
import { STREAM_TYPES, streamIdOf, type ReadinessEvent } from '@attest/readiness-domain';
import { currentRequestContext, RequestValidationError } from '@attest/service-kit';
import { ReadinessReadModel } from '../read-model/readiness-read-model';
import { READINESS_POOL } from '../readiness-options';
import { validateReadinessEvent } from './readiness-events';

export const READINESS_EVENT_TYPES = Symbol('attest:readiness-event-types');

export interface CommandTarget {
  tenantId: string;
  streamId: string;
  /** The refusal to answer when the stream belongs to another tenant or is of another kind (answered 404). */
  notFound: () => DomainError;
  /** Who is acting (for the events' metadata). */
  actorId: string;
}

const MAX_ATTEMPTS = 5;

/**
 * Runs commands: load the aggregate, decide, check every public event against its contract schema, append (the
 * outbox route sends public events to attest.readiness.events.v1), then let the read models catch up with the
 * append before the request answers. A stream of another tenant or of another aggregate kind is "not found".
 */
@Injectable()
export class ReadinessCommandBus {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly readModel: ReadinessReadModel,
    @Inject(READINESS_POOL) private readonly pool: Pool,
    @Inject(READINESS_EVENT_TYPES) private readonly registry: EventTypeRegistry,
  ) {}

  /** One command on one stream, through the event store's handleCommand (optimistic retries included). */
  async execute<Command, Event extends ReadinessEvent, State>(
    aggregate: Aggregate<Command, Event, State>,
    target: CommandTarget,
    command: Command,
  ): Promise<{ events: RecordedEvent[]; state: State }> {
    await this.guard(target, aggregate.streamType);
    const checked: Aggregate<Command, Event, State> = {
      ...aggregate,
      decider: {
        ...aggregate.decider,
        decide: (c, s) => {
          const events = aggregate.decider.decide(c, s);
          for (const e of events)
            if (streamIdOf(e) !== target.streamId)
              throw new Error(`${e.type} belongs to another stream; use executeAcrossStreams`);
          this.assertPublishable(aggregate.streamType, events);
          return events;
        },
      },
    };
    const outcome = await this.translateInvalidEvents(() =>
      handleCommand(this.store, checked, target, command, {
        metadata: this.metadata(target),
        maxAttempts: MAX_ATTEMPTS,
      }),
    );
    await this.caughtUp(outcome.events);
    return { events: outcome.events, state: outcome.state };
  }

  /**
   * One command whose events go to several streams, appended atomically: the target stream at the version read,
   * every other stream new (completing an assessment creates its remediation tasks on their own streams).
   */
  async executeAcrossStreams<Command, Event extends ReadinessEvent, State>(
    streamType: string,
    decider: Decider<Command, Event, State>,
    target: CommandTarget,
    command: Command,
  ): Promise<RecordedEvent[]> {
    await this.guard(target, streamType);
    for (let attempt = 1; ; attempt++) {
      const { version, events: history } = await this.store.readStream(target.streamId);
      const state = foldEvents(
        decider,
        history.map((e) => ({ type: e.type, data: e.data }) as Event),
      );
      const decided = decider.decide(command, state);
      const byStream = new Map<string, { streamType: string; events: Event[] }>();
      byStream.set(target.streamId, { streamType, events: [] });
      for (const event of decided) {
        const id = streamIdOf(event);
        const group = byStream.get(id) ?? { streamType: STREAM_TYPES[event.type], events: [] };
        group.events.push(event);
        byStream.set(id, group);
      }
      const metadata = this.metadata(target);
      const appends: StreamAppend[] = [...byStream].map(([streamId, group]) => {
        this.assertPublishable(group.streamType, group.events);
        return {
          tenantId: target.tenantId,
          streamId,
          streamType: group.streamType,
          expectedVersion: streamId === target.streamId ? version || 'no-stream' : 'no-stream',
          events: group.events.map((e) => ({ type: e.type, data: e.data, metadata })),
        };
      });
      try {
        const result = await this.translateInvalidEvents(() => this.store.appendBatch(appends));
        await this.caughtUp(result.events);
        return result.events;
      } catch (err) {
        if (err instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async guard(target: CommandTarget, streamType: string): Promise<void> {
    const r = await this.pool.query<{ tenant_id: string; stream_type: string }>(
      'SELECT tenant_id, stream_type FROM event_store.streams WHERE stream_id = $1',
      [target.streamId],
    );
    const row = r.rows[0];
    if (row && (row.tenant_id !== target.tenantId || row.stream_type !== streamType)) throw target.notFound();
  }

  private assertPublishable(streamType: string, events: ReadinessEvent[]): void {
    assertPublishable(this.registry, validateReadinessEvent, streamType, events);
  }

  /**
   * The DTOs admit only what the contracts allow; should an input still produce an event its schema refuses, the
   * request is answered as invalid input and nothing is stored.
   */
  private async translateInvalidEvents<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof InvalidEventError)
        throw new RequestValidationError(
          err.problems.map((p) => ({ pointer: '', message: `the resulting ${err.storeType} event ${p}` })),
        );
      throw err;
    }
  }

  private metadata(target: CommandTarget): EventMetadata {
    const requestId = currentRequestContext()?.requestId;
    return { actor: target.actorId, ...(requestId ? { correlationId: requestId } : {}) };
  }

  private async caughtUp(events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1];
    if (last) await this.readModel.catchUpTo(last.position);
  }
}
