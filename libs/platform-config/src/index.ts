export * from './infra-endpoints';
