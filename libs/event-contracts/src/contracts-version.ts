/**
 * The version of the published event contracts (the AsyncAPI document's `info.version`). Bump the minor version
 * when event types are added or changed compatibly (`npm run events:lock`). An incompatible change is a new `.vN`
 * event type instead, with one recorded exception: 2.0.0 sealed the personal fields (names, e-mail addresses) of
 * every `.v1` type in place (docs/events/README.md, "Personal data and erasure"), because publishing the plain
 * `.v1` beside sealed `.v2` types for six months would have defeated erasure.
 */
export const EVENT_CONTRACTS_VERSION = '2.6.0';
