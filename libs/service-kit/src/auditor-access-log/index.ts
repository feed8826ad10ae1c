export * from './auditor-access-log';
