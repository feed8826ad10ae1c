export * from './audit-record';
