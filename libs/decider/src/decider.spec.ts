import { Decider, DomainError, foldEvents } from './decider';
import { contractCheckedSpec, deciderSpec } from './decider-spec';

// A tiny access-review aggregate, enough to exercise the helpers the way service deciders use them.
type Event =
  | { type: 'ReviewOpened'; data: { reviewId: string; openedAt: string } }
  | { type: 'ReviewClosed'; data: { reviewId: string; closedAt: string } };
type Command =
  { type: 'Open'; reviewId: string; at: string } | { type: 'Close'; reviewId: string; at: string };
type State = { status: 'none' } | { status: 'open' | 'closed'; reviewId: string };

const review: Decider<Command, Event, State> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ReviewOpened':
        return { status: 'open', reviewId: event.data.reviewId };
      case 'ReviewClosed':
        return { status: 'closed', reviewId: event.data.reviewId };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'Open':
        if (state.status !== 'none') throw new DomainError('already-opened', 'review exists');
        return [{ type: 'ReviewOpened', data: { reviewId: command.reviewId, openedAt: command.at } }];
      case 'Close':
        if (state.status !== 'open') throw new DomainError('not-open', 'only an open review can close');
        return [{ type: 'ReviewClosed', data: { reviewId: command.reviewId, closedAt: command.at } }];
    }
  },
};

const opened: Event = {
  type: 'ReviewOpened',
  data: { reviewId: 'r1', openedAt: '2026-01-01T00:00:00.000Z' },
};

describe('decider helpers', () => {
  it('folds history into state', () => {
    expect(foldEvents(review, [opened])).toEqual({ status: 'open', reviewId: 'r1' });
  });

  it('given/when/then passes when the decided events match', () => {
    deciderSpec(review)
      .given([opened])
      .when({ type: 'Close', reviewId: 'r1', at: '2026-02-01T00:00:00.000Z' })
      .then([{ type: 'ReviewClosed', data: { reviewId: 'r1', closedAt: '2026-02-01T00:00:00.000Z' } }]);
  });

  it('given/when/then fails loudly when the events differ', () => {
    expect(() =>
      deciderSpec(review).given([]).when({ type: 'Open', reviewId: 'r1', at: 'x' }).then([]),
    ).toThrow(/decided events differ/);
  });

  it('then hands the matching decided events to checkDecided, whose failure fails the spec', () => {
    const checked: Event[] = [];
    const close: Command = { type: 'Close', reviewId: 'r1', at: 'y' };
    const closed: Event[] = [{ type: 'ReviewClosed', data: { reviewId: 'r1', closedAt: 'y' } }];
    deciderSpec(review, { checkDecided: (events) => checked.push(...events) })
      .given([opened])
      .when(close)
      .then(closed);
    expect(checked).toEqual(closed);
    expect(() =>
      deciderSpec(review, {
        checkDecided: () => {
          throw new Error('breaks its contract');
        },
      })
        .given([opened])
        .when(close)
        .then(closed),
    ).toThrow('breaks its contract');
  });

  it('contractCheckedSpec fails a then whose decided events have contract problems, naming the event type', () => {
    const close: Command = { type: 'Close', reviewId: 'r1', at: 'y' };
    const closed: Event[] = [{ type: 'ReviewClosed', data: { reviewId: 'r1', closedAt: 'y' } }];
    contractCheckedSpec(review, () => [])
      .given([opened])
      .when(close)
      .then(closed);
    expect(() =>
      contractCheckedSpec(review, (event) =>
        event.type === 'ReviewClosed' ? ['closedAt: must be a date-time'] : [],
      )
        .given([opened])
        .when(close)
        .then(closed),
    ).toThrow('ReviewClosed: closedAt: must be a date-time');
  });

  it('thenRefuses checks the refusal code and fails when the command is accepted', () => {
    const err = deciderSpec(review)
      .given([])
      .when({ type: 'Close', reviewId: 'r1', at: 'x' })
      .thenRefuses('not-open');
    expect(err.message).toBe('only an open review can close');
    expect(() =>
      deciderSpec(review)
        .given([])
        .when({ type: 'Open', reviewId: 'r1', at: 'x' })
        .thenRefuses('already-opened'),
    ).toThrow(/expected refusal 'already-opened'/);
  });
});
