import type { Collector } from './collector';
import { gitRepositoryPracticesCollector } from './git-repository/git-repository-practices-collector';
import { kubernetesManifestsCollector } from './kubernetes-manifests/kubernetes-manifests-collector';
import { linuxHostBaselineCollector } from './linux-host/linux-host-baseline-collector';
import { postgresqlSecurityCollector } from './postgresql/postgresql-security-collector';

/** Every collector the service offers, by id. A new collector is one line here. */
export const COLLECTORS: readonly Collector[] = [
  postgresqlSecurityCollector,
  linuxHostBaselineCollector,
  gitRepositoryPracticesCollector,
  kubernetesManifestsCollector,
];

export function collectorById(id: string): Collector | undefined {
  return COLLECTORS.find((collector) => collector.id === id);
}
