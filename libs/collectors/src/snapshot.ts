import type { EvidenceType } from '@attest/catalog';
import type { Collector, EvidenceSnapshot, Fact } from './collector';

/** The UTC calendar day of an instant (YYYY-MM-DD): a point-in-time read covers that day. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** A file-name part from free text (a host, a path): only letters, digits, `.`, `_`, `-`; never a leading dot. */
export function fileNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'unnamed';
}

/**
 * The JSON evidence file of a point-in-time read: which collector (and version) read what, when, and every fact it
 * found, so an auditor reads the same normalized facts the monitoring service tests.
 */
export function jsonFactsSnapshot(
  collector: Pick<Collector, 'id' | 'version' | 'serves'>,
  o: { title: string; subject: string; evidenceType?: EvidenceType; facts: Fact[]; now: Date },
): EvidenceSnapshot {
  const day = isoDay(o.now);
  const document = {
    collector: { id: collector.id, version: collector.version },
    subject: o.subject,
    collectedAt: o.now.toISOString(),
    facts: o.facts,
  };
  return {
    title: o.title,
    evidenceType: o.evidenceType ?? 'config-snapshot',
    fileName: `${collector.id}-${fileNamePart(o.subject)}-${day}.json`,
    mediaType: 'application/json',
    content: Buffer.from(JSON.stringify(document, null, 2) + '\n', 'utf8'),
    period: { from: day, to: day },
    catalogControlIds: [...collector.serves.catalogControlIds],
  };
}
