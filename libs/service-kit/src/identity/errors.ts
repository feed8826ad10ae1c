/** The realm named in `WWW-Authenticate` challenges. */
export const AUTHENTICATION_REALM = 'attest';

/**
 * The request carries no usable access token: answered 401 with a `WWW-Authenticate: Bearer` challenge. `reason`
 * says why for the logs (never the token or its claims); the message, sent to the caller, stays generic.
 */
export class AuthenticationError extends Error {
  constructor(
    readonly reason: string,
    /** Whether a bearer token was presented: the challenge then says `error="invalid_token"` (RFC 6750 §3). */
    readonly tokenPresented: boolean,
  ) {
    super(
      tokenPresented
        ? 'The access token is invalid or expired.'
        : 'A bearer access token is required (Authorization: Bearer <token>).',
    );
    this.name = 'AuthenticationError';
  }

  /** The `WWW-Authenticate` header value to answer with. */
  get challenge(): string {
    const challenge = `Bearer realm="${AUTHENTICATION_REALM}"`;
    return this.tokenPresented ? `${challenge}, error="invalid_token"` : challenge;
  }
}

/** A verified principal may not do this: answered 403. The message is sent to the caller; `reason` is logged. */
export class AccessDeniedError extends Error {
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}
