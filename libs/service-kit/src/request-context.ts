import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './identity/principal';

/** What JsonLogger adds to every line written while a request is handled. */
export interface RequestContext {
  requestId: string;
  /** Set once the access token has been verified: the tenant the request acts for. */
  tenant?: string;
  /** Set once the access token has been verified. */
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts) within `context`. */
export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

const ON_REQUEST = Symbol('attest.requestContext');

/** Keeps the context on the request object too, so later middleware can enter it again (see reenterRequestContext). */
export function attachRequestContext(request: object, context: RequestContext): void {
  (request as Record<symbol, RequestContext>)[ON_REQUEST] = context;
}

export function requestContextOf(request: object): RequestContext | undefined {
  return (request as Record<symbol, RequestContext>)[ON_REQUEST];
}

/**
 * Express middleware that enters the request's context again. Needed after the body parser: it resumes from the
 * socket's 'end' event, whose async context is the connection's, not the request's.
 */
export function reenterRequestContext(request: object, _response: unknown, next: () => void): void {
  const context = requestContextOf(request);
  if (context) runInRequestContext(context, next);
  else next();
}
