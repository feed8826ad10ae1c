/**
 * The frozen form of a population: a listing whose hash anyone recomputes. It holds only strings and integers, so
 * its RFC 8785 form is plain JSON with sorted keys and no whitespace — reproducible without a JCS library (see
 * tools/sampling/README.md).
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EvidenceRef, Occurrence } from '../engagement-events';

/**
 * The listing in canonical order: occurrences sorted by occurrenceId (UTF-16 code units, as RFC 8785 sorts keys),
 * each occurrence's evidence sorted by kind, id and version, only the fields of the contract kept and absent optional
 * fields left out. Two occurrences with one id are refused: which of them the population holds would be a guess.
 */
export function canonicalListing(occurrences: Occurrence[]): Occurrence[] {
  const listing = occurrences
    .map(canonicalOccurrence)
    .sort((a, b) => compareText(a.occurrenceId, b.occurrenceId));
  listing.forEach((occurrence, i) => {
    if (i > 0 && listing[i - 1].occurrenceId === occurrence.occurrenceId) {
      throw new RangeError(`The population lists occurrence ${occurrence.occurrenceId} twice`);
    }
  });
  return listing;
}

/** Hex SHA-256 of the RFC 8785 JSON of the listing exactly as given (pass `canonicalListing`'s result). */
export function populationHash(listing: Occurrence[]): string {
  return createHash('sha256')
    .update(canonicalize(listing) as string, 'utf8')
    .digest('hex');
}

export interface FrozenListing {
  listing: Occurrence[];
  size: number;
  hash: string;
}

/** What a PopulationFrozen records of the occurrences: the canonical listing, its size and its hash. */
export function freezeListing(occurrences: Occurrence[]): FrozenListing {
  const listing = canonicalListing(occurrences);
  return { listing, size: listing.length, hash: populationHash(listing) };
}

function canonicalOccurrence(o: Occurrence): Occurrence {
  return {
    occurrenceId: text(o.occurrenceId, 'occurrenceId'),
    kind: text(o.kind, 'kind') as Occurrence['kind'],
    occurredAt: text(o.occurredAt, 'occurredAt'),
    label: text(o.label, 'label'),
    evidence: o.evidence.map(canonicalRef).sort(compareRefs),
  };
}

function canonicalRef(ref: EvidenceRef): EvidenceRef {
  return {
    kind: text(ref.kind, 'evidence kind') as EvidenceRef['kind'],
    id: text(ref.id, 'evidence id'),
    ...(ref.version !== undefined ? { version: integer(ref.version, 'evidence version') } : {}),
    label: text(ref.label, 'evidence label'),
    ...(ref.at !== undefined ? { at: text(ref.at, 'evidence at') } : {}),
  };
}

function compareRefs(a: EvidenceRef, b: EvidenceRef): number {
  return compareText(a.kind, b.kind) || compareText(a.id, b.id) || (a.version ?? -1) - (b.version ?? -1);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`An occurrence's ${field} must be a string`);
  return value;
}

// Fractions would need RFC 8785's number formatting (ECMAScript's shortest round trip) to re-compute the hash.
function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`An occurrence's ${field} must be an integer`);
  }
  return value;
}
