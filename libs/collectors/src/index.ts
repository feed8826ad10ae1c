export * from './collector';
export * from './allowed-paths';
export * from './collector-registry';
export * from './postgresql/postgresql-security-collector';
export * from './linux-host/linux-host-baseline-collector';
