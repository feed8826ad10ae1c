/** The orchestrator's client at the identity provider (client credentials grant, realm role `service`). */
export interface ServiceClientCredentials {
  /** The realm's token endpoint, `<issuer>/protocol/openid-connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A token is renewed this long before it expires, so no request leaves with one that lapses on the way. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * The access token the orchestrator calls the services with: one client-credentials token, cached until a minute
 * before it expires, requested once however many activities ask at the same time.
 */
export class ServiceTokenSource {
  private cached: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly credentials: ServiceClientCredentials,
    private readonly now: () => number = Date.now,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.request().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forgets the token, e.g. after a service answered 401 (a rotated signing key): the next call gets a new one. */
  invalidate(): void {
    this.cached = null;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret } = this.credentials;
    const requestedAt = this.now();
    const res = await this.fetchImpl(tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: string;
    };
    if (!res.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number')
      throw new Error(
        `client credentials token for ${clientId} refused: HTTP ${res.status}${body.error ? ` (${body.error})` : ''}`,
      );
    // Measured from the request, not the answer: the identity provider's clock started before the reply arrived.
    this.cached = {
      token: body.access_token,
      renewAt: requestedAt + body.expires_in * 1000 - RENEW_BEFORE_EXPIRY_MS,
    };
    return body.access_token;
  }
}
