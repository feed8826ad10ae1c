import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope, type DsseSigner } from './dsse';
import { sha256Hex } from './sha256';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const EVIDENCE_BUNDLE_PREDICATE_TYPE = 'https://attest.dev/evidence-bundle/v1';

/** The archive's entries besides the evidence files. */
export const MANIFEST_FILE = 'manifest.dsse.json';
export const CHAIN_FILE = 'chain/events.jsonl';

export interface ResourceDescriptor {
  name: string;
  digest: { sha256: string };
}

/** An in-toto Statement v1 (github.com/in-toto/attestation, spec/v1/statement.md). */
export interface InTotoStatement<P> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: P;
}

/** Where an event sits in the tenant's hash chain. */
export interface ChainPosition {
  eventId: string;
  tenantSequence: number;
  globalPosition: number;
  hash: string;
}

/**
 * A signed chain checkpoint as the predicate carries it: `ChainCheckpoint` of `@attest/event-store`, whose
 * signature covers the RFC 8785 JSON of every other field (docs/events/README.md, "Verifying a chain").
 */
export interface BundleCheckpoint {
  tenantId: string;
  tenantSequence: number;
  headHash: string;
  globalPosition: number;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** One evidence item version in the bundle: what it is, what it covers, its bytes' hash and its chain event. */
export interface BundleItem {
  itemId: string;
  version: number;
  title: string;
  evidenceType: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  period: { from: string; to: string };
  controlIds: string[];
  criteria: string[];
  /** The event that recorded this version (EvidenceSubmitted or EvidenceVersioned), which names the same hash. */
  chain: ChainPosition;
}

export interface EvidenceBundlePredicate {
  bundleId: string;
  tenantId: string;
  issuedAt: string;
  /**
   * Who asked for it, by id only: a signed document cannot be erased later, so it holds no name or e-mail (the
   * bundle's event keeps the actor, with the personal-data rules every event follows).
   */
  issuedBy: { type: string; id: string };
  items: BundleItem[];
  /** The newest signed checkpoint when the bundle was issued; every item's event is at or below its sequence. */
  checkpoint: BundleCheckpoint;
}

export type EvidenceBundleStatement = InTotoStatement<EvidenceBundlePredicate>;

/** An evidence file's path in the archive: one directory per item version, so two versions never collide. */
export function bundleFilePath(item: Pick<BundleItem, 'itemId' | 'version' | 'fileName'>): string {
  return `files/${item.itemId}/v${item.version}/${item.fileName}`;
}

/** The Statement: one subject per evidence file and one for the chain slice, all by SHA-256. */
export function evidenceBundleStatement(
  predicate: EvidenceBundlePredicate,
  chainSha256: string,
): EvidenceBundleStatement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [
      ...predicate.items.map((item) => ({ name: bundleFilePath(item), digest: { sha256: item.sha256 } })),
      { name: CHAIN_FILE, digest: { sha256: chainSha256 } },
    ],
    predicateType: EVIDENCE_BUNDLE_PREDICATE_TYPE,
    predicate,
  };
}

export interface SignedManifest {
  statement: EvidenceBundleStatement;
  envelope: DsseEnvelope;
  /** `manifest.dsse.json` as stored and archived. */
  bytes: Buffer;
  sha256: string;
}

/** Builds the Statement over the items and chain slice and signs it as a DSSE envelope. */
export function signBundleManifest(
  predicate: EvidenceBundlePredicate,
  chainFile: Buffer,
  signer: DsseSigner,
): SignedManifest {
  const statement = evidenceBundleStatement(predicate, sha256Hex(chainFile));
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), signer);
  const bytes = Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
  return { statement, envelope, bytes, sha256: sha256Hex(bytes) };
}

/**
 * The Statement of a verified payload, or what makes it not one of ours. Checks the shape the verifier relies on,
 * not every field: the signature already vouches for the content.
 */
export function parseBundleStatement(
  payload: Buffer,
): { ok: true; statement: EvidenceBundleStatement } | { ok: false; problem: string } {
  let s: Partial<EvidenceBundleStatement>;
  try {
    s = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, problem: `the payload is not JSON: ${(err as Error).message}` };
  }
  if (s?._type !== IN_TOTO_STATEMENT_TYPE)
    return { ok: false, problem: `_type is not ${IN_TOTO_STATEMENT_TYPE}` };
  if (s.predicateType !== EVIDENCE_BUNDLE_PREDICATE_TYPE)
    return { ok: false, problem: `predicateType is not ${EVIDENCE_BUNDLE_PREDICATE_TYPE}` };
  const p = s.predicate;
  if (!Array.isArray(s.subject) || !p || !Array.isArray(p.items) || !p.checkpoint)
    return { ok: false, problem: 'the statement lacks subject, predicate.items or predicate.checkpoint' };
  return { ok: true, statement: s as EvidenceBundleStatement };
}
