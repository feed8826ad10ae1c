import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { currentRequestContext } from '../request-context';
import { HEALTH_PROBE_PATHS } from './api-version';

export interface RateLimitOptions {
  /** The window requests are counted in (default one minute). */
  windowMs?: number;
  /** How many requests one principal may send per window (default 600). */
  limit?: number;
}

export const RATE_LIMIT_DEFAULTS: Required<RateLimitOptions> = { windowMs: 60_000, limit: 600 };

/** The caller exceeded its rate limit: answered 429 with the rate-limited problem; `Retry-After` is already set. */
export class RateLimitedError extends Error {
  constructor() {
    super('Too many requests; retry after the number of seconds in Retry-After.');
    this.name = 'RateLimitedError';
  }
}

/**
 * Global guard, installed after authentication: counts each principal's requests (by actor id, so a user and a
 * service client never share a budget) in a fixed window, and refuses those over the limit with RateLimitedError
 * (429 and `Retry-After`). Requests without a principal (public routes) are counted by client IP; the health probes
 * are never limited. Every answer carries the IETF `RateLimit` and `RateLimit-Policy` headers. Counts are kept in
 * the process: each replica limits on its own.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimitRequestHandler;

  constructor(options: RateLimitOptions = {}) {
    this.limiter = rateLimit({
      windowMs: options.windowMs ?? RATE_LIMIT_DEFAULTS.windowMs,
      limit: options.limit ?? RATE_LIMIT_DEFAULTS.limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (request) => {
        const principal = currentRequestContext()?.principal;
        return principal ? `principal:${principal.actorId}` : `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
      },
      skip: (request) => (HEALTH_PROBE_PATHS as readonly string[]).includes(request.path),
      handler: (_request, _response, next) => next(new RateLimitedError()),
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const refusal = await new Promise<unknown>((resolve) =>
      this.limiter(http.getRequest(), http.getResponse(), resolve),
    );
    if (refusal) throw refusal;
    return true;
  }
}
