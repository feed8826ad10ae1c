/**
 * An aggregate as three pure functions. `decide` turns a command into new events (or throws a DomainError),
 * `evolve` folds one event into state, `initialState` is the state of an empty stream. Time and ids reach
 * `decide` through the command, never from the clock, so the same history and command always give the same events.
 */
export interface Decider<Command, Event extends { type: string }, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A refusal by the domain: the command is valid in shape but not allowed in this state. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function foldEvents<Event extends { type: string }, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
  from: State = decider.initialState(),
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
