// Test and demo support, a separate entry point (@attest/service-kit/testing) so services never bundle it.
export * from './identity-provider';
export * from './clock';
export * from './demo-identities';
export * from './access-cells';
export * from './personal-data-bodies';
export * from './test-app';
export * from './service-main';
export * from './control-mapping-events';
export * from './idempotent-repeat';
