import { schemaCompatibilityIssues, sameValidation, type CompatibilityIssue } from './schema-compatibility';
import { isJsonObject, type JsonSchema } from './json-schema';

/**
 * `libs/event-contracts/schemas.lock.json`: every public event type with its schema as released. A type in the
 * lock is a promise to consumers; its schema may only change compatibly, and it may never disappear.
 */
export interface SchemaLock {
  $comment: string;
  eventTypes: Record<string, JsonSchema>;
}

export const SCHEMA_LOCK_COMMENT =
  'Released event schemas. Written by `npm run events:lock`, which refuses incompatible changes; do not edit by hand.';

export const LOCK_COMMAND = 'npm run events:lock';

export interface LockReview {
  /** Types not in the lock yet. */
  added: string[];
  /** Types whose validation changed compatibly since they were locked. */
  changed: string[];
  /** Types whose schema differs from the lock only in annotations (descriptions, examples). */
  reworded: string[];
  /** Types that changed incompatibly: they need a new `.vN` type instead. */
  incompatible: { ceType: string; issues: CompatibilityIssue[] }[];
  /** Locked types that no longer exist. */
  removed: string[];
}

export function parseSchemaLock(json: unknown): SchemaLock {
  if (!isJsonObject(json) || !isJsonObject(json.eventTypes))
    throw new TypeError('schemas.lock.json must be an object with an eventTypes object');
  return { $comment: SCHEMA_LOCK_COMMENT, eventTypes: json.eventTypes as Record<string, JsonSchema> };
}

/** Compares the current schemas with the lock. */
export function reviewAgainstLock(lock: SchemaLock, current: Record<string, JsonSchema>): LockReview {
  const review: LockReview = { added: [], changed: [], reworded: [], incompatible: [], removed: [] };
  for (const ceType of Object.keys(lock.eventTypes).sort())
    if (!(ceType in current)) review.removed.push(ceType);
  for (const ceType of Object.keys(current).sort()) {
    const locked = lock.eventTypes[ceType];
    if (!locked) {
      review.added.push(ceType);
      continue;
    }
    const issues = schemaCompatibilityIssues(locked, current[ceType]);
    if (issues.length) review.incompatible.push({ ceType, issues });
    else if (!sameValidation(locked, current[ceType])) review.changed.push(ceType);
    else if (JSON.stringify(locked) !== JSON.stringify(current[ceType])) review.reworded.push(ceType);
  }
  return review;
}

/** Human-readable reasons a review cannot be locked; empty when it can. */
export function lockRefusals(review: LockReview): string[] {
  const out: string[] = [];
  for (const ceType of review.removed)
    out.push(
      `${ceType} was released and no longer exists: keep publishing it until consumers have moved (README).`,
    );
  for (const { ceType, issues } of review.incompatible) {
    out.push(`${ceType} changed incompatibly; publish a new version (.v${nextVersion(ceType)}) instead:`);
    for (const issue of issues) out.push(`  ${issue.path}: ${issue.message} [${issue.rule}]`);
  }
  return out;
}

function nextVersion(ceType: string): number {
  const m = /\.v([0-9]+)$/.exec(ceType);
  return m ? Number(m[1]) + 1 : 2;
}

/** The lock with new types and compatible changes recorded. Throws when the review has refusals. */
export function updatedLock(lock: SchemaLock, current: Record<string, JsonSchema>): SchemaLock {
  const refusals = lockRefusals(reviewAgainstLock(lock, current));
  if (refusals.length) throw new Error(refusals.join('\n'));
  const eventTypes: Record<string, JsonSchema> = {};
  for (const ceType of Object.keys(current).sort()) eventTypes[ceType] = current[ceType];
  return { $comment: SCHEMA_LOCK_COMMENT, eventTypes };
}

export function schemaLockJson(lock: SchemaLock): string {
  return JSON.stringify(lock, null, 2) + '\n';
}
