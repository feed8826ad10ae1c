import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { controlById } from '@attest/catalog';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import {
  collectorById,
  CollectorConfigError,
  parseCollectorConfig,
  redactSecrets,
  type CollectionResult,
  type Collector,
  type EvidenceSnapshot,
} from '@attest/collectors';
import { DomainError } from '@attest/decider';
import { checkContentMatchesMediaType, type CollectorRunOutcome } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import { CLOCK, type Clock } from '@attest/service-kit';
import { CONTENT_STORE, EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { EvidenceAggregates } from '../event-flow/evidence-aggregates';
import { EvidenceUploads } from '../http/evidence-uploads';
import { EvidenceReadModel } from '../read-model/evidence-read-model';

/** What starts a run: the collector, its config as given (secrets included), and who asked. */
export interface CollectorRunRequest {
  collectorId: string;
  config: unknown;
  /** `api` for a request; `schedule` when a Temporal schedule starts it (with a `systemContext`). */
  trigger: 'api' | 'schedule';
}

/**
 * A collector that reads a system for longer than this is stuck (the systems here answer in seconds); the signal
 * aborts its reads and the run fails with `timeout`.
 */
export const COLLECT_TIMEOUT_MS = 120_000;

/** The error messages a failed run records are for people: one paragraph, never a stack. */
const MESSAGE_MAX = 2000;

/** Stable codes for what usually stops a collector, from Node's system error codes. */
const SYSTEM_ERROR_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  ENOTFOUND: 'host-not-found',
  EHOSTUNREACH: 'host-unreachable',
  ETIMEDOUT: 'timeout',
  EACCES: 'permission-denied',
  EPERM: 'permission-denied',
  ENOENT: 'not-found',
};

/** The refusal for a run request naming no collector the service offers (422: it is the body that is wrong). */
export function unknownCollector(collectorId: string): DomainError {
  return new DomainError('unknown-collector', `there is no collector ${collectorId}`, { collectorId });
}

/**
 * Collector runs: read a system with one of `@attest/collectors`, keep each snapshot as an evidence item (content in
 * the content store, `SubmitEvidence` with source `collector`) and record the run with its facts. Callable from the
 * API now and from a Temporal schedule later (with a `systemContext` and trigger `schedule`).
 *
 * The collector reads before anything is recorded: a config it cannot use (schema, or a path outside
 * ATTEST_COLLECTOR_ALLOWED_PATHS, which some collectors only find out while reading) is refused with 422 and
 * leaves no trace, like any other invalid request. Once it has read, the run is recorded as started (at the time
 * reading began), each snapshot becomes an item, and the run succeeds with the facts and those items; a collector
 * that could not read the system (unreachable, refused, timed out) is recorded as started and failed, so the
 * attempt stays in the chain.
 */
@Injectable()
export class CollectorRuns {
  private readonly logger = new Logger(CollectorRuns.name);

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EvidenceAggregates,
    private readonly readModel: EvidenceReadModel,
    private readonly uploads: EvidenceUploads,
    @Inject(CONTENT_STORE) private readonly contents: ContentStore,
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs the collector for the context's tenant; answers the run's id and its stream's version. */
  async run(
    context: CommandContext,
    request: CollectorRunRequest,
  ): Promise<{ runId: string; version: number }> {
    const collector = collectorById(request.collectorId);
    if (!collector) throw unknownCollector(request.collectorId);
    const config = configOf(collector, request.config);
    const runId = randomUUID();
    const startedAt = this.clock.now();
    const read = await this.collect(collector, config, startedAt);

    await this.pipeline.run(this.aggregates.collectorRun, context, {
      type: 'StartCollectorRun',
      runId,
      collectorId: collector.id,
      collectorVersion: collector.version,
      config: redactSecrets(collector, config),
      trigger: request.trigger,
      at: startedAt.toISOString(),
      actor: context.actor,
    });
    let outcome: CollectorRunOutcome;
    if ('failure' in read) {
      outcome = { status: 'failed', error: read.failure };
    } else {
      const evidenceItemIds: string[] = [];
      try {
        for (const snapshot of read.result.snapshots)
          evidenceItemIds.push(await this.submit(context, collector, runId, snapshot));
        outcome = { status: 'succeeded', facts: read.result.facts, evidenceItemIds };
      } catch (error) {
        // Items already submitted stay (they are evidence that was collected); the run says why it stopped.
        outcome = { status: 'failed', error: failureOf(error) };
      }
    }
    const { version } = await this.pipeline.run(this.aggregates.collectorRun, context, {
      type: 'CompleteCollectorRun',
      runId,
      outcome,
      at: this.clock.now().toISOString(),
      actor: context.actor,
    });
    this.logger.log({
      message: `collector run ${outcome.status}`,
      tenant: context.tenantId,
      runId,
      collectorId: collector.id,
      ...(outcome.status === 'failed' ? { error: outcome.error } : { items: outcome.evidenceItemIds.length }),
    });
    return { runId, version };
  }

  /** The collector's read, or why it failed; a config it cannot use is refused (422) as the request's fault. */
  private async collect(
    collector: Collector,
    config: unknown,
    now: Date,
  ): Promise<{ result: CollectionResult } | { failure: { code: string; message: string } }> {
    try {
      const result = await collector.collect(config, {
        now,
        signal: AbortSignal.timeout(COLLECT_TIMEOUT_MS),
        allowedPaths: this.options.collectorAllowedPaths,
      });
      return { result };
    } catch (error) {
      if (error instanceof CollectorConfigError) throw invalidConfig(collector, error);
      return { failure: failureOf(error) };
    }
  }

  /**
   * One snapshot as an evidence item: its bytes into the content store (checked like an upload's), linked to the
   * tenant's controls adopted from the snapshot's catalog controls; a catalog control the tenant has not adopted
   * (or marked not applicable) contributes its criteria instead, so the evidence still counts for them.
   */
  private async submit(
    context: CommandContext,
    collector: Collector,
    runId: string,
    snapshot: EvidenceSnapshot,
  ): Promise<string> {
    const adopted = (
      await this.readModel.controlsByCatalogId(context.tenantId, snapshot.catalogControlIds)
    ).filter((control) => !control.notApplicable);
    const covered = new Set(adopted.map((control) => control.catalogControlId));
    const criteria = snapshot.catalogControlIds
      .filter((id) => !covered.has(id))
      .flatMap((id) => controlById(id)?.criteria ?? []);
    const controlIds = adopted.map((control) => control.controlId);
    const stored = await this.contents.put(Readable.from([snapshot.content]), {
      maxBytes: this.options.maxUploadBytes,
      inspectHead: (head) => checkContentMatchesMediaType(snapshot.mediaType, head),
    });
    const content = {
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      mediaType: snapshot.mediaType,
      fileName: snapshot.fileName,
    };
    const itemId = randomUUID();
    await this.uploads.record({ metadata: snapshot, content, storedNew: !stored.alreadyStored }, () =>
      this.pipeline.run(this.aggregates.item, context, {
        type: 'SubmitEvidence',
        itemId,
        title: snapshot.title,
        evidenceType: snapshot.evidenceType,
        controlIds,
        criteria: [...new Set(criteria)],
        period: snapshot.period,
        source: { kind: 'collector', collectorId: collector.id, runId },
        content,
        tags: [`collector:${collector.id}`],
        knownControlIds: controlIds,
        at: this.clock.now().toISOString(),
        actor: context.actor,
      }),
    );
    return itemId;
  }
}

/** The config checked against the collector's schema; refused with every problem named. */
export function configOf(collector: Collector, config: unknown): unknown {
  try {
    return parseCollectorConfig(collector, config);
  } catch (error) {
    if (error instanceof CollectorConfigError) throw invalidConfig(collector, error);
    throw error;
  }
}

function invalidConfig(collector: Collector, error: CollectorConfigError): DomainError {
  return new DomainError('invalid-collector-config', error.message, {
    collectorId: collector.id,
    problems: [...error.problems],
  });
}

/** What a failed run records: a stable code and a message for people (collectors never put secrets in errors). */
function failureOf(error: unknown): { code: string; message: string } {
  const message =
    (error instanceof Error ? error.message : String(error)).slice(0, MESSAGE_MAX) || 'unknown error';
  if (error instanceof DomainError) return { code: error.code, message };
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { code: 'timeout', message };
  const system = (error as { code?: unknown } | null)?.code;
  if (typeof system === 'string' && SYSTEM_ERROR_CODES[system])
    return { code: SYSTEM_ERROR_CODES[system], message };
  return { code: 'collection-failed', message };
}
