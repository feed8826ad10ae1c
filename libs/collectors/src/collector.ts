import type { EvidenceType } from '@attest/catalog';
import type { JsonSchema } from '@attest/event-contracts';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

/**
 * One normalized observation about a resource, for the monitoring service: the same resource type always carries
 * the same attributes (documented per collector in `factModel` and the lib's README), so a test can be written
 * against facts from any system the collector reads.
 */
export interface Fact {
  resourceType: string;
  resourceId: string;
  attributes: Record<string, unknown>;
}

/** A file of evidence a run produces: the app stores the bytes and submits them as an evidence item. */
export interface EvidenceSnapshot {
  title: string;
  evidenceType: EvidenceType;
  fileName: string;
  mediaType: 'application/json' | 'text/plain';
  content: Buffer;
  /** What the snapshot covers (YYYY-MM-DD); a point-in-time read covers the day it was taken. */
  period: { from: string; to: string };
  /** Library controls (`@attest/catalog`) the snapshot is evidence for; the app links the tenant's adopted ones. */
  catalogControlIds: string[];
}

export interface CollectionResult {
  snapshots: EvidenceSnapshot[];
  facts: Fact[];
}

export interface CollectorContext {
  now: Date;
  signal?: AbortSignal;
  /** Directories a collector may read paths from (operator configuration); a config pointing elsewhere is refused. */
  allowedPaths: readonly string[];
}

/** A property of a collector's config schema; secrets are marked so they never reach an event or a log. */
export type ConfigProperty = JsonSchema & { 'x-secret'?: true; writeOnly?: boolean };

/** The config a collector accepts: a JSON Schema (2020-12) object with closed properties. */
export interface CollectorConfigSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, ConfigProperty>;
  required?: string[];
  additionalProperties: false;
}

/** One resource type a collector reports, with the meaning of each attribute (served by `GET /v1/collectors`). */
export interface FactModelEntry {
  resourceType: string;
  description: string;
  attributes: Record<string, string>;
}

/**
 * A source of evidence the service reads by itself. A new one (a cloud API, a SaaS admin console) is a drop-in:
 * implement this, add it to `COLLECTORS`, document its fact model.
 */
export interface Collector<C = unknown> {
  id: string;
  /** Semantic version of what the collector reads and how it reports it; recorded with every run. */
  version: string;
  title: string;
  configSchema: CollectorConfigSchema;
  serves: { catalogControlIds: string[]; testIds: string[] };
  factModel: FactModelEntry[];
  /** Reads the system. Throws `CollectorConfigError` for a config it cannot use; any other error fails the run. */
  collect(config: C, ctx: CollectorContext): Promise<CollectionResult>;
}

/** The config cannot be used (invalid against the schema, or a path outside the allowed ones): the app answers 422. */
export class CollectorConfigError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'CollectorConfigError';
  }
}

export const REDACTED = '[redacted]';

/** The config as it may be recorded in an event: every `x-secret` property present is replaced by "[redacted]". */
export function redactSecrets(
  collector: Pick<Collector, 'configSchema'>,
  config: unknown,
): Record<string, unknown> {
  const redacted: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [name, property] of Object.entries(collector.configSchema.properties)) {
    if (property['x-secret'] && redacted[name] !== undefined) redacted[name] = REDACTED;
  }
  return redacted;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
const validators = new WeakMap<CollectorConfigSchema, ValidateFunction>();

/**
 * Checks a config (from an API body) against the collector's schema before anything is recorded, so a bad config is
 * a 422 naming every problem, never a failed run. Strict mode also makes a collector's own schema typo fail loudly.
 */
export function parseCollectorConfig<C>(collector: Collector<C>, config: unknown): C {
  let validate = validators.get(collector.configSchema);
  if (!validate) {
    validate = ajv.compile(collector.configSchema);
    validators.set(collector.configSchema, validate);
  }
  if (validate(config)) return config as C;
  const problems = [...new Set((validate.errors ?? []).map(describe))];
  throw new CollectorConfigError(`invalid config for ${collector.id}: ${problems.join('; ')}`, problems);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `${where} must not have property '${params.additionalProperty}'`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
