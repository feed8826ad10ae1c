import { Decider, DomainError, foldEvents } from './decider';

export interface DeciderSpecOptions<Event> {
  /** Runs on the events of every `then` once they equal the expected ones (a domain checks them against contracts). */
  checkDecided?: (events: Event[]) => void;
}

/**
 * Given/when/then over events, for decider unit tests:
 *   deciderSpec(decider).given([...past events]).when(command).then([...new events])
 *   ... .when(command).thenRefuses('code')
 * Framework-neutral: failures throw an Error with both sides printed.
 */
export function deciderSpec<Command, Event extends { type: string }, State>(
  decider: Decider<Command, Event, State>,
  options: DeciderSpecOptions<Event> = {},
) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, foldEvents(decider, history));
          return {
            then(expected: Event[]): Event[] {
              const actual = run();
              const a = JSON.stringify(actual);
              const e = JSON.stringify(expected);
              if (a !== e) throw new Error(`decided events differ\nexpected: ${e}\nactual:   ${a}`);
              options.checkDecided?.(actual);
              return actual;
            },
            thenRefuses(code: string): DomainError {
              try {
                const produced = run();
                throw new Error(
                  `expected refusal '${code}', but the command produced ${JSON.stringify(produced)}`,
                );
              } catch (err) {
                if (err instanceof DomainError) {
                  if (err.code !== code)
                    throw new Error(`expected refusal '${code}', got '${err.code}': ${err.message}`);
                  return err;
                }
                throw err;
              }
            },
          };
        },
      };
    },
  };
}

/**
 * deciderSpec that also checks every decided event with a context's contract check: `contractProblems` gives the
 * problems of one event (empty when it may be published), and any problem fails the `then` naming the event type.
 */
export function contractCheckedSpec<Command, Event extends { type: string }, State>(
  decider: Decider<Command, Event, State>,
  contractProblems: (event: Event) => string[],
) {
  return deciderSpec(decider, {
    checkDecided(events) {
      const problems = events.flatMap((event) => contractProblems(event).map((p) => `${event.type}: ${p}`));
      if (problems.length) throw new Error(`decided events break their contracts\n${problems.join('\n')}`);
    },
  });
}
