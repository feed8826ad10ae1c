export { allKeys } from './content-store-contract';
export * from './local-object-store';
