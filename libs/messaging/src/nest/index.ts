export * from './attest-event-handlers';
export * from './messaging-lifecycle';
export * from './messaging-options';
export * from './messaging.module';
export * from './on-attest-event.decorator';
