export * from './aggregate-declaration';
export * from './append-plan';
export * from './command-context';
export * from './command-pipeline';
export * from './event-contracts-check';
export * from './pipeline-errors';
export * from './projection-read-models';
