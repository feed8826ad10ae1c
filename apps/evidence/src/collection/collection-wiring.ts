import type { Provider, Type } from '@nestjs/common';
import { EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { CollectorConfigurations } from './collector-configurations';
import { CollectorConfigurationsController } from './collector-configurations.controller';
import { CollectorRuns } from './collector-runs';
import { CollectorSecrets } from './collector-secrets';
import { CollectorRunsController } from './collector-runs.controller';
import { CollectorsController } from './collectors.controller';

/**
 * Collection for the evidence module: the collectors on offer (`GET /v1/collectors`), their runs
 * (`/v1/collector-runs`), run by `CollectorRuns`, and the organization's stored configurations
 * (`/v1/collector-configurations`, secrets sealed under the options' key) that scheduled runs use.
 */
export const COLLECTION_PROVIDERS: Provider[] = [
  CollectorRuns,
  CollectorConfigurations,
  {
    provide: CollectorSecrets,
    inject: [EVIDENCE_OPTIONS],
    useFactory: (options: ResolvedOptions) => new CollectorSecrets(options.collectorSecretsKey),
  },
];
export const COLLECTION_CONTROLLERS: Type<unknown>[] = [
  CollectorsController,
  CollectorRunsController,
  CollectorConfigurationsController,
];
