import { planAppends, type StreamRead } from './append-plan';

type Event =
  | { type: 'ReviewClosed'; data: { reviewId: string } }
  | { type: 'FindingRaised'; data: { findingId: string } };

const review = { streamId: 'review-1', streamType: 'review' };
const metadata = { actor: 'user:u1' };
const streamOf = (e: Event) =>
  e.type === 'FindingRaised' ? { streamId: e.data.findingId, streamType: 'finding' } : review;
const closed: Event = { type: 'ReviewClosed', data: { reviewId: 'review-1' } };
const finding = (id: string): Event => ({ type: 'FindingRaised', data: { findingId: id } });

function plan(events: (Event & { eventId?: string })[], reads: StreamRead[]) {
  return planAppends({
    tenantId: 'acme',
    target: review,
    reads: new Map(reads.map((r) => [r.streamId, r])),
    events,
    streamOf,
    metadata,
  });
}

describe('planAppends', () => {
  it('appends to the command stream at the version read, or as a new stream', () => {
    expect(plan([closed], [{ ...review, version: 4 }])).toEqual([
      { tenantId: 'acme', ...review, expectedVersion: 4, events: [{ ...closed, metadata }] },
    ]);
    expect(plan([closed], [{ ...review, version: 0 }])[0].expectedVersion).toBe('no-stream');
  });

  it('keeps an event id the decider derived (a retried cause re-appends that id, not a new event)', () => {
    const eventId = '0b9f3a52-6c1e-5d2a-9f0e-1a2b3c4d5e6f';
    expect(plan([{ ...closed, eventId }], [{ ...review, version: 1 }])[0].events).toEqual([
      { ...closed, metadata, eventId },
    ]);
  });

  it('routes events to their streams: other streams must be new, the command stream is guarded', () => {
    const appends = plan([finding('f1'), finding('f2'), finding('f1')], [{ ...review, version: 3 }]);
    expect(appends.map((a) => [a.streamId, a.streamType, a.expectedVersion, a.events.length])).toEqual([
      ['review-1', 'review', 3, 0],
      ['f1', 'finding', 'no-stream', 2],
      ['f2', 'finding', 'no-stream', 1],
    ]);
  });

  it('appends or guards every stream the decision read at the version read', () => {
    const appends = plan(
      [closed, finding('f1')],
      [
        { ...review, version: 2 },
        { streamId: 'f1', streamType: 'finding', version: 5 },
        { streamId: 'f9', streamType: 'finding', version: 7 },
        { streamId: 'f0', streamType: 'finding', version: 0 },
      ],
    );
    expect(appends.map((a) => [a.streamId, a.expectedVersion, a.events.length])).toEqual([
      ['review-1', 2, 1],
      ['f1', 5, 1],
      ['f9', 7, 0],
    ]);
  });

  it('appends nothing when nothing was decided', () => {
    expect(
      plan(
        [],
        [
          { ...review, version: 2 },
          { streamId: 'f9', streamType: 'finding', version: 7 },
        ],
      ),
    ).toEqual([]);
  });

  it('refuses an event routed to a stream of another type', () => {
    expect(() =>
      planAppends({
        tenantId: 'acme',
        target: review,
        reads: new Map([[review.streamId, { ...review, version: 1 }]]),
        events: [finding('review-1')],
        streamOf,
        metadata,
      }),
    ).toThrow(/review-1 is a review stream, not finding/);
  });
});
