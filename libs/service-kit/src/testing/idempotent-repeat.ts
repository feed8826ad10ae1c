import type request from 'supertest';

/**
 * Sends an operation twice under one Idempotency-Key, as a retried activity or client does: both answer `status`,
 * and the repeat is the first answer again, marked `Idempotent-Replayed: true`. Returns the first answer.
 */
export async function expectRepeatReplayed(
  send: () => request.Test,
  key: string,
  status = 200,
): Promise<request.Response> {
  const first = await send().set('Idempotency-Key', key).expect(status);
  const repeat = await send().set('Idempotency-Key', key).expect(status);
  expect([repeat.body, repeat.headers['idempotent-replayed']]).toEqual([first.body, 'true']);
  return first;
}
