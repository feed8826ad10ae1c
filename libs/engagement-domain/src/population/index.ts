export * from './population-inputs';
export * from './population-listing';
export * from './population-builder';
