import type { Provider, Type } from '@nestjs/common';
import { deadlineSweepProviders } from '@attest/service-kit';
import { EvidenceRetention } from '../retention/evidence-retention';
import { EvidenceRetentionController } from '../retention/evidence-retention.controller';
import { EvidenceFreshnessSweep } from './evidence-freshness-sweep';

/**
 * The items' lifecycle in time: the freshness sweep with its settings (`DEADLINE_SETTINGS`, which the read model's
 * freshness also reads) and in-process schedule, and the retention decision (`POST
 * /v1/evidence-items/{id}/retention-decisions`).
 */
export const FRESHNESS_PROVIDERS: Provider[] = [
  ...deadlineSweepProviders(EvidenceFreshnessSweep),
  EvidenceRetention,
];
export const FRESHNESS_CONTROLLERS: Type<unknown>[] = [EvidenceRetentionController];
