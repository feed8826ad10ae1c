import { assertTransition, IMPLEMENTATION_STATUSES } from './implementation-status';

describe('implementation status transitions', () => {
  const outcome = (from: string, to: string, notes?: string) => {
    try {
      return assertTransition(from as never, to as never, notes);
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  it('follows the documented table', () => {
    const table = IMPLEMENTATION_STATUSES.flatMap((from) =>
      IMPLEMENTATION_STATUSES.map((to) => [from, to, outcome(from, to), outcome(from, to, 'why')]),
    );
    expect(table).toEqual([
      ['not-started', 'not-started', 'status-unchanged', 'status-unchanged'],
      ['not-started', 'in-progress', 'forward', 'forward'],
      ['not-started', 'implemented', 'invalid-transition', 'invalid-transition'],
      ['in-progress', 'not-started', 'reason-required', 'back-with-reason'],
      ['in-progress', 'in-progress', 'status-unchanged', 'status-unchanged'],
      ['in-progress', 'implemented', 'forward', 'forward'],
      ['implemented', 'not-started', 'invalid-transition', 'invalid-transition'],
      ['implemented', 'in-progress', 'reason-required', 'back-with-reason'],
      ['implemented', 'implemented', 'status-unchanged', 'status-unchanged'],
    ]);
  });
});
