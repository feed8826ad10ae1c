export * from './expected-occurrences';
export * from './observation-schedule';
export * from './occurrence-counts';
export * from './type-ii-observation';
