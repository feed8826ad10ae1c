import type { Principal } from './principal';

const PRINCIPAL = Symbol('attest.principal');

/** Set by AuthenticationGuard only; not exported from the package. */
export function attachPrincipal(request: object, principal: Principal): void {
  (request as Record<symbol, Principal>)[PRINCIPAL] = principal;
}

/** The principal AuthenticationGuard established for this HTTP request, if any. */
export function principalOf(request: object): Principal | undefined {
  return (request as Record<symbol, Principal | undefined>)[PRINCIPAL];
}
