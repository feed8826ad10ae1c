import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Express middleware, early in the chain so that every answer has them, errors included:
 * - `X-Content-Type-Options: nosniff`: browsers take JSON for JSON, never for a script or a page;
 * - `Referrer-Policy: no-referrer`: links followed from a response leak no URL;
 * - `Cache-Control: no-store` on authenticated requests (those with `Authorization`): no shared or browser cache
 *   keeps a tenant's data.
 */
export function securityHeaders(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  if (request.headers.authorization !== undefined) response.setHeader('Cache-Control', 'no-store');
  next();
}
