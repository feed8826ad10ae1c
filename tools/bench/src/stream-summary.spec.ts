import { deltasByStream } from './stream-summary';

describe('deltasByStream', () => {
  it('folds a run into one row per stream, so one ON CONFLICT upsert never touches a row twice', () => {
    expect(
      deltasByStream([
        { streamId: 's1', seq: 1 },
        { streamId: 's2', seq: 2 },
        { streamId: 's1', seq: 3 },
      ]),
    ).toEqual([
      { streamId: 's1', events: 2, lastSeq: 3 },
      { streamId: 's2', events: 1, lastSeq: 2 },
    ]);
  });
});
