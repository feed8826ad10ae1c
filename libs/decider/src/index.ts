export * from './decider';
export * from './decider-spec';
export * from './decider-text';
