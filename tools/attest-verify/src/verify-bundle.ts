import {
  bundleReport,
  fileProblems,
  itemChainProblems,
  parseBundleStatement,
  parseChainRecords,
  verifyEnvelope,
  type BundleCheck,
  type BundleContents,
  type BundleReport,
  type ChainRecord,
  type DsseEnvelope,
} from '@attest/evidence-bundle';
import {
  verifyCheckpointSignature,
  verifyCloudEventChain,
  type ChainCheckpoint,
  type ChainPublicKeys,
  type ChainVerdict,
} from '@attest/event-store';
import { decodeCloudEvent, type CloudEvent } from '@attest/messaging';

export interface VerifyOptions {
  /** The service's published keys (`GET /.well-known/attest/signing-keys`), active and retired. */
  publicKeys: ChainPublicKeys;
  /** A checkpoint kept from before (e.g. an earlier bundle's `predicate.checkpoint`): the chain must still hold it. */
  earlierCheckpoint?: ChainCheckpoint;
}

/**
 * Verifies a bundle's contents offline: the envelope's signature, every file against the signed subjects, each
 * item's event in the chain slice, the slice's hashes and links up to the signed checkpoint, and optionally an
 * earlier checkpoint. Nothing of the statement is trusted before its signature verifies.
 */
export function verifyBundle(contents: BundleContents, options: VerifyOptions): BundleReport {
  const checks: BundleCheck[] = [];
  if (!contents.manifest) {
    checks.push({ check: 'signature', ok: false, details: ['manifest.dsse.json: missing'] });
    return bundleReport(checks);
  }
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(contents.manifest.toString('utf8')) as DsseEnvelope;
  } catch (err) {
    checks.push({
      check: 'signature',
      ok: false,
      details: [`manifest.dsse.json: not JSON (${(err as Error).message})`],
    });
    return bundleReport(checks);
  }
  const signed = verifyEnvelope(envelope, options.publicKeys);
  if (!signed.ok) {
    checks.push({ check: 'signature', ok: false, details: [`manifest.dsse.json: ${signed.problem}`] });
    return bundleReport(checks);
  }
  checks.push({
    check: 'signature',
    ok: true,
    details: [`manifest.dsse.json: signed by key ${signed.keyid} (Ed25519, DSSE)`],
  });
  const parsed = parseBundleStatement(signed.payload);
  if (!parsed.ok) {
    checks.push({ check: 'statement', ok: false, details: [`manifest.dsse.json: ${parsed.problem}`] });
    return bundleReport(checks);
  }
  const statement = parsed.statement;
  const { items, checkpoint } = statement.predicate;

  const files = fileProblems(statement, contents);
  checks.push(
    files.length
      ? { check: 'files', ok: false, details: files }
      : {
          check: 'files',
          ok: true,
          details: [`${statement.subject.length} files match their signed SHA-256`],
        },
  );

  const chain = contents.chain
    ? parseChainRecords(contents.chain)
    : { ok: false as const, problem: 'missing' };
  if (!chain.ok) {
    checks.push({ check: 'chain', ok: false, details: [`chain/events.jsonl: ${chain.problem}`] });
    return bundleReport(checks, statement);
  }
  const itemProblems = itemChainProblems(items, chain.records, checkpoint.tenantSequence);
  checks.push(
    itemProblems.length
      ? { check: 'items', ok: false, details: itemProblems }
      : {
          check: 'items',
          ok: true,
          details: [`${items.length} item versions recorded in the chain with their hashes`],
        },
  );

  let events: CloudEvent[];
  try {
    events = chain.records.map((r, i) => decoded(r, i));
  } catch (err) {
    checks.push({ check: 'chain', ok: false, details: [(err as Error).message] });
    return bundleReport(checks, statement);
  }
  const verdict = verifyCloudEventChain(events, { checkpoint, publicKeys: options.publicKeys });
  checks.push(chainCheck(verdict, events, checkpoint));
  if (options.earlierCheckpoint)
    checks.push(earlierCheckpointCheck(options.earlierCheckpoint, checkpoint, events, options.publicKeys));
  return bundleReport(checks, statement);
}

function decoded(record: ChainRecord, index: number): CloudEvent {
  return decodeCloudEvent(
    { headers: record.headers, value: Buffer.from(JSON.stringify(record.data ?? null), 'utf8') },
    `chain/events.jsonl line ${index + 1}`,
  );
}

function chainCheck(
  verdict: ChainVerdict,
  events: readonly CloudEvent[],
  checkpoint: ChainCheckpoint,
): BundleCheck {
  if (!verdict.ok) return { check: 'chain', ok: false, details: [describeFailure(verdict)] };
  const first = events[0]?.tenantsequence;
  return {
    check: 'chain',
    ok: true,
    details: [
      `sequences ${first}..${events[events.length - 1]?.tenantsequence}: every hash recomputes and links to the one before`,
      `checkpoint at sequence ${checkpoint.tenantSequence} signed ${checkpoint.signedAt} by key ${checkpoint.keyId} holds the chain's head there`,
    ],
  };
}

/**
 * Whether the chain still holds a checkpoint kept from before. One that lies beyond the bundle's end but was signed
 * before the bundle's checkpoint proves the chain was truncated since; one the slice does not reach cannot be
 * checked by this bundle, which is a failure too: the verifier asked for a proof the bundle cannot give.
 */
function earlierCheckpointCheck(
  earlier: ChainCheckpoint,
  bundleCheckpoint: ChainCheckpoint,
  events: readonly CloudEvent[],
  publicKeys: ChainPublicKeys,
): BundleCheck {
  const fail = (detail: string): BundleCheck => ({
    check: 'earlier-checkpoint',
    ok: false,
    details: [detail],
  });
  const name = `the checkpoint at sequence ${earlier.tenantSequence} signed ${earlier.signedAt}`;
  if (!verifyCheckpointSignature(earlier, publicKeys)) return fail(`${name}: its signature does not verify`);
  if (earlier.tenantId !== bundleCheckpoint.tenantId)
    return fail(`${name}: it is tenant ${earlier.tenantId}'s`);
  if (earlier.tenantSequence > bundleCheckpoint.tenantSequence)
    return fail(
      earlier.signedAt <= bundleCheckpoint.signedAt
        ? `${name}: truncated — the chain reached sequence ${earlier.tenantSequence} before the bundle's checkpoint (signed ${bundleCheckpoint.signedAt}) said it ends at ${bundleCheckpoint.tenantSequence}`
        : `${name}: newer than the bundle's checkpoint (sequence ${bundleCheckpoint.tenantSequence}); verify it with a newer bundle`,
    );
  const first = events[0]?.tenantsequence ?? 1;
  if (earlier.tenantSequence < first - 1)
    return fail(`${name}: the bundle's chain starts at sequence ${first}, so it cannot show that sequence`);
  const verdict = verifyCloudEventChain(events, { checkpoint: earlier, publicKeys });
  if (!verdict.ok) return fail(`${name}: ${describeFailure(verdict)}`);
  return { check: 'earlier-checkpoint', ok: true, details: [`${name}: the chain still holds its head`] };
}

const REASONS: Record<string, string> = {
  'hash-mismatch': 'the hash does not recompute (the event was altered)',
  'broken-link': 'it does not link to the event before it (an event was removed, inserted or reordered)',
  'sequence-gap': 'a sequence is missing or out of order',
  'checkpoint-mismatch': 'the chain does not hold the signed head there',
  truncated: 'the chain does not reach the checkpoint',
  'bad-signature': "the checkpoint's signature does not verify",
  'head-mismatch': 'the chain does not end at its recorded head',
};

function describeFailure(v: Extract<ChainVerdict, { ok: false }>): string {
  const event = v.eventId ? ` (event ${v.eventId})` : '';
  return `sequence ${v.tenantSequence}${event}: ${REASONS[v.reason] ?? v.reason}; expected ${v.expected}, found ${v.actual}`;
}
