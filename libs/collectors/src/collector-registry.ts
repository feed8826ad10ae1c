import type { Collector } from './collector';
import { linuxHostBaselineCollector } from './linux-host/linux-host-baseline-collector';
import { postgresqlSecurityCollector } from './postgresql/postgresql-security-collector';

/** Every collector the service offers, by id. A new collector is one line here. */
export const COLLECTORS: readonly Collector[] = [postgresqlSecurityCollector, linuxHostBaselineCollector];

export function collectorById(id: string): Collector | undefined {
  return COLLECTORS.find((collector) => collector.id === id);
}
