export * from './sample-size';
export * from './sample-selection';
export * from './sample-reperformance';
