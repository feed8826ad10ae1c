import { Webhook } from 'standardwebhooks';

/** How long a receiver may take to answer one try. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** One try of a delivery: the signed message and where it goes. */
export interface WebhookMessage {
  url: string;
  /**
   * The endpoint's signing secrets (`whsec_…`): the current one, and the one it replaced while that is still honoured
   * after a rotation. The message carries one signature per secret; a receiver accepts it when any verifies.
   */
  secrets: readonly string[];
  /** The `webhook-id`: the delivery's id, the same on every try, so a receiver can drop a repeat. */
  messageId: string;
  body: string;
}

/** What one try came to: the receiver's status, or why there was none. */
export type TryOutcome = { delivered: boolean; statusCode: number | null; error: string | null };

/**
 * Sends one try as the Standard Webhooks specification has it: POST of the JSON body with `webhook-id`,
 * `webhook-timestamp` (now, in seconds: receivers refuse stale ones) and `webhook-signature` (HMAC-SHA256 of
 * `id.timestamp.body` under each secret, space-separated). Only a 2xx answer delivers. Redirects are not followed (the endpoint's URL
 * was checked when it was registered, a Location it answers with was not), and a receiver that does not answer
 * within the timeout has failed the try.
 */
export async function sendWebhook(
  message: WebhookMessage,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<TryOutcome> {
  const now = new Date();
  const signature = message.secrets
    .map((secret) => new Webhook(secret).sign(message.messageId, now, message.body))
    .join(' ');
  try {
    const response = await fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Attest-Webhooks/1.0',
        'webhook-id': message.messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not wanted: dropping it frees the connection.
    await response.body?.cancel();
    const delivered = response.status >= 200 && response.status < 300;
    const redirected = response.status >= 300 && response.status < 400;
    return {
      delivered,
      statusCode: response.status,
      error: redirected ? 'redirect not followed' : null,
    };
  } catch (error) {
    return { delivered: false, statusCode: null, error: failureOf(error, timeoutMs) };
  }
}

/** A short reason a try got no answer: the timeout, or the network error's code (ECONNREFUSED, ENOTFOUND, …). */
function failureOf(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'request failed'}: ${cause}` : (e.message ?? String(error));
}
