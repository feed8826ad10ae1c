/**
 * The version of the published event contracts (the AsyncAPI document's `info.version`). Bump the minor version
 * when event types are added or changed compatibly (`npm run events:lock`), the major version never: an
 * incompatible change is a new `.vN` event type instead.
 */
export const EVENT_CONTRACTS_VERSION = '1.0.0';
