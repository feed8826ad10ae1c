import { verifyCheckpointSignature, type ChainCheckpoint, type ChainPublicKeys } from './chain-checkpoints';
import {
  chainedFormOfReceived,
  chainHash,
  GENESIS_HASH,
  verifyEvents,
  type ChainVerdict,
  type ReceivedChainEvent,
} from './hash-chain';
import type { RecordedEvent } from './recorded-event';

/**
 * Verifies a tenant's stored chain (from its first event, e.g. an export) against a signed checkpoint: the chain
 * must verify, reach the checkpoint, and hold the signed head at the signed position. That catches what
 * `verifyChain` cannot: events deleted below the checkpoint (with the head moved back), and a suffix rewritten by
 * someone who recomputed every hash and the head.
 */
export function verifyAgainstCheckpoint(
  events: readonly RecordedEvent[],
  checkpoint: ChainCheckpoint,
  publicKeys: ChainPublicKeys,
): ChainVerdict {
  const tenantId = checkpoint.tenantId;
  const signature = signatureProblem(checkpoint, publicKeys);
  if (signature) return signature;
  const chain = verifyEvents(tenantId, events);
  if (!chain.ok) return chain;
  const head = events.find((e) => e.tenantSequence === checkpoint.tenantSequence);
  if (!head) return truncated(checkpoint, chain.events);
  if (head.hash !== checkpoint.headHash || head.position.globalPosition !== checkpoint.globalPosition)
    return checkpointMismatch(checkpoint, head.eventId, head.position.globalPosition, head.hash);
  return chain;
}

export interface ReceivedChainOptions {
  /** A checkpoint kept from earlier (or received on the topic): the events must still contain its head. */
  checkpoint?: ChainCheckpoint;
  /** The producing service's public keys (its JWKS at `GET /v1/event-chain/keys`); required with `checkpoint`. */
  publicKeys?: ChainPublicKeys;
}

/**
 * Verifies one tenant's events as received from Kafka (decoded CloudEvents, any order): each hash recomputes from
 * the event itself, each event links to the one before, no sequence is missing. A run that starts at sequence 1
 * must start from the genesis hash; a later start is anchored only by a checkpoint at the event just before it or
 * within the run. Needs nothing from Attest but the public keys.
 */
export function verifyCloudEventChain(
  received: readonly ReceivedChainEvent[],
  options: ReceivedChainOptions = {},
): ChainVerdict {
  const events = [...received].sort((a, b) => a.tenantsequence - b.tenantsequence);
  const tenantId = options.checkpoint?.tenantId ?? events[0]?.tenantid ?? '';
  const { checkpoint, publicKeys } = options;
  if (checkpoint) {
    if (!publicKeys) throw new TypeError('verifying against a checkpoint needs the public keys');
    const signature = signatureProblem(checkpoint, publicKeys);
    if (signature) return signature;
  }
  let prev = events[0]?.tenantsequence === 1 ? GENESIS_HASH : events[0]?.attestprevhash;
  let expected = events[0]?.tenantsequence ?? 1;
  for (const e of events) {
    const where = {
      tenantId,
      eventId: e.id,
      tenantSequence: e.tenantsequence,
      globalPosition: e.globalposition,
    };
    if (e.tenantid !== tenantId)
      return {
        ok: false,
        reason: 'broken-link',
        ...where,
        expected: `tenant ${tenantId}`,
        actual: e.tenantid,
      };
    if (e.tenantsequence !== expected)
      return {
        ok: false,
        reason: 'sequence-gap',
        ...where,
        expected: String(expected),
        actual: String(e.tenantsequence),
      };
    if (e.attestprevhash !== prev)
      return { ok: false, reason: 'broken-link', ...where, expected: prev, actual: e.attestprevhash };
    const recomputed = chainHash(e.attestprevhash, chainedFormOfReceived(e));
    if (recomputed !== e.attesthash)
      return { ok: false, reason: 'hash-mismatch', ...where, expected: recomputed, actual: e.attesthash };
    prev = e.attesthash;
    expected++;
  }
  const last = expected - 1;
  if (checkpoint) {
    if (last < checkpoint.tenantSequence) return truncated(checkpoint, last);
    const first = events[0]?.tenantsequence ?? 1;
    const head = events.find((e) => e.tenantsequence === checkpoint.tenantSequence);
    if (head) {
      if (head.attesthash !== checkpoint.headHash || head.globalposition !== checkpoint.globalPosition)
        return checkpointMismatch(checkpoint, head.id, head.globalposition, head.attesthash);
    } else if (checkpoint.tenantSequence === first - 1) {
      // The run starts right after the checkpoint: its first link must be the signed head.
      if (events[0].attestprevhash !== checkpoint.headHash)
        return checkpointMismatch(
          checkpoint,
          events[0].id,
          events[0].globalposition,
          events[0].attestprevhash,
        );
    } else {
      return {
        ok: false,
        reason: 'truncated',
        tenantId,
        tenantSequence: checkpoint.tenantSequence,
        expected: `events from sequence ${checkpoint.tenantSequence} or ${checkpoint.tenantSequence + 1}`,
        actual: `events from sequence ${first}`,
      };
    }
  }
  return { ok: true, tenantId, events: events.length, headHash: prev ?? GENESIS_HASH };
}

/** The checkpoint a `ChainCheckpointSigned` CloudEvent carries (any context's `*.chain-checkpoint-signed.v1`). */
export function checkpointOfCloudEvent(e: { tenantid: string; data: unknown }): ChainCheckpoint {
  const d = e.data as Omit<ChainCheckpoint, 'tenantId'>;
  return {
    tenantId: e.tenantid,
    tenantSequence: d.tenantSequence,
    headHash: d.headHash,
    globalPosition: d.globalPosition,
    signedAt: d.signedAt,
    keyId: d.keyId,
    signature: d.signature,
  };
}

function signatureProblem(c: ChainCheckpoint, keys: ChainPublicKeys): ChainVerdict | null {
  if (verifyCheckpointSignature(c, keys)) return null;
  return {
    ok: false,
    reason: 'bad-signature',
    tenantId: c.tenantId,
    tenantSequence: c.tenantSequence,
    expected: `a valid Ed25519 signature by key ${c.keyId}`,
    actual: keys.has(c.keyId) ? 'a signature that does not verify' : 'an unknown key id',
  };
}

function truncated(c: ChainCheckpoint, reached: number): ChainVerdict {
  return {
    ok: false,
    reason: 'truncated',
    tenantId: c.tenantId,
    tenantSequence: c.tenantSequence,
    expected: `a chain reaching sequence ${c.tenantSequence}`,
    actual: `a chain ending at ${reached}`,
  };
}

function checkpointMismatch(
  c: ChainCheckpoint,
  eventId: string,
  globalPosition: number | undefined,
  hash: string,
): ChainVerdict {
  return {
    ok: false,
    reason: 'checkpoint-mismatch',
    tenantId: c.tenantId,
    eventId,
    tenantSequence: c.tenantSequence,
    globalPosition,
    expected: `${c.globalPosition}:${c.headHash}`,
    actual: `${globalPosition}:${hash}`,
  };
}
