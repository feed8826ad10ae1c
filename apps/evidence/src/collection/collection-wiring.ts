import type { Provider, Type } from '@nestjs/common';
import { CollectorRuns } from './collector-runs';
import { CollectorRunsController } from './collector-runs.controller';
import { CollectorsController } from './collectors.controller';

/**
 * Collection for the evidence module: the collectors on offer (`GET /v1/collectors`) and their runs
 * (`/v1/collector-runs`), run by `CollectorRuns`, which a Temporal schedule will call as well.
 */
export const COLLECTION_PROVIDERS: Provider[] = [CollectorRuns];
export const COLLECTION_CONTROLLERS: Type<unknown>[] = [CollectorsController, CollectorRunsController];
