export * from './shipped-tests';
