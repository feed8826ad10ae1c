export * from './scheduled-jobs';
