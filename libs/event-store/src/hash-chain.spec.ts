import { chainHash, GENESIS_HASH, verifyEvents } from './hash-chain';
import type { RecordedEvent } from './recorded-event';

function chain(n: number): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      eventId: `00000000-0000-4000-8000-00000000000${i}`,
      tenantId: 'acme',
      streamId: 'evidence-1',
      streamType: 'evidence',
      streamVersion: i,
      tenantSequence: i,
      type: 'EvidenceCollected',
      data: { file: `f${i}.pdf`, sha256: 'ab'.repeat(32) },
      metadata: { actor: 'u1' },
      recordedAt: `2026-01-0${i}T00:00:00.000Z`,
    };
    const hash = chainHash(prev, fields);
    out.push({
      ...fields,
      prevHash: prev,
      hash,
      position: { transactionId: String(100 + i), globalPosition: i },
    });
    prev = hash;
  }
  return out;
}

describe('hash chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const events = chain(4);
    expect(verifyEvents('acme', events, { sequence: 4, hash: events[3].hash })).toEqual({
      ok: true,
      tenantId: 'acme',
      events: 4,
      headHash: events[3].hash,
    });
  });

  it('hashes the same content the same way whatever the key order', () => {
    const [e] = chain(1);
    const reordered = { ...e, data: { sha256: 'ab'.repeat(32), file: 'f1.pdf' } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(e.hash);
  });

  it('names an edited event by id and position', () => {
    const events = chain(4);
    events[2] = { ...events[2], data: { file: 'forged.pdf', sha256: 'ab'.repeat(32) } };
    expect(verifyEvents('acme', events)).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      eventId: events[2].eventId,
      tenantSequence: 3,
      globalPosition: 3,
    });
  });

  it('catches a removed event in the middle and a re-hashed forgery that breaks the link', () => {
    const events = chain(4);
    expect(verifyEvents('acme', [events[0], events[2], events[3]])).toMatchObject({
      ok: false,
      reason: 'sequence-gap',
      tenantSequence: 3,
    });
    // A forger who recomputes the edited event's own hash still breaks the next event's link.
    const forged = { ...events[1], data: { file: 'forged.pdf' } };
    forged.hash = chainHash(forged.prevHash, forged);
    expect(verifyEvents('acme', [events[0], forged, events[2], events[3]])).toMatchObject({
      ok: false,
      reason: 'broken-link',
      tenantSequence: 3,
    });
  });
});
