export * from './auditor-access-log';
export * from './auditor-access-schema';
