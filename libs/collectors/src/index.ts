export * from './collector';
export * from './allowed-paths';
export * from './snapshot';
export * from './collector-registry';
export * from './postgresql/postgresql-security-collector';
export * from './linux-host/linux-host-baseline-collector';
export * from './git-repository/git-repository-practices-collector';
export * from './kubernetes-manifests/kubernetes-manifests-collector';
