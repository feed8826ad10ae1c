import type { Pool } from 'pg';
import { AppendNotifier } from './append-notifier';

/** A pool whose queries stay in flight until the test settles them. */
function fakePool() {
  const sent: { settle: (err?: Error) => void }[] = [];
  const pool = {
    ending: false,
    query: () =>
      new Promise<void>((resolve, reject) => sent.push({ settle: (err) => (err ? reject(err) : resolve()) })),
  };
  /** Settles the oldest notification in flight and lets the notifier react. */
  const settle = async (err?: Error) => {
    sent.shift()!.settle(err);
    await new Promise((r) => setImmediate(r));
  };
  return { pool: pool as unknown as Pool & { ending: boolean }, sent, settle };
}

describe('AppendNotifier', () => {
  it('sends one notification per burst: one in flight, at most one queued behind it', async () => {
    const { pool, sent, settle } = fakePool();
    const notifier = new AppendNotifier(pool);
    notifier.poke();
    for (let i = 0; i < 100; i++) notifier.poke();
    expect(sent).toHaveLength(1);
    await settle();
    // The 100 pokes made while it was in flight are answered by a single follow-up.
    expect(sent).toHaveLength(1);
    await settle();
    expect(sent).toHaveLength(0);
    await notifier.idle();
    notifier.poke();
    expect(sent).toHaveLength(1);
    await settle();
  });

  it('drops a failed notification (followers fall back to polling) and keeps working', async () => {
    const { pool, sent, settle } = fakePool();
    const notifier = new AppendNotifier(pool);
    notifier.poke();
    await settle(new Error('connection refused'));
    await notifier.idle();
    notifier.poke();
    expect(sent).toHaveLength(1);
    await settle();
  });

  it('closing waits for the notification in flight and sends nothing after, so the pool can end behind it', async () => {
    const { pool, sent, settle } = fakePool();
    const notifier = new AppendNotifier(pool);
    notifier.poke();
    notifier.poke();
    let closed = false;
    const closing = notifier.close().then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    await settle();
    await closing;
    expect(sent).toHaveLength(0); // the queued one was dropped
    notifier.poke();
    expect(sent).toHaveLength(0);
  });

  it('sends nothing on a pool that is ending', async () => {
    const { pool, sent } = fakePool();
    pool.ending = true;
    const notifier = new AppendNotifier(pool);
    notifier.poke();
    await notifier.idle();
    expect(sent).toHaveLength(0);
  });
});
