import { createHash } from 'node:crypto';
import {
  chainedFormOf,
  chainHash,
  GENESIS_HASH,
  legacyChainHash,
  verifyEvents,
  type ChainedEvent,
} from './hash-chain';
import type { RecordedEvent } from './recorded-event';

function chain(n: number, hash = (prev: string, e: RecordedEvent) => chainHash(prev, chainedFormOf(e))) {
  const out: RecordedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: RecordedEvent = {
      eventId: `00000000-0000-4000-8000-00000000000${i}`,
      tenantId: 'acme',
      streamId: 'evidence-1',
      streamType: 'evidence',
      streamVersion: i,
      tenantSequence: i,
      type: 'EvidenceCollected',
      ceType: 'io.attest.evidence.collected.v1',
      source: '/attest/evidence',
      schemaVersion: 1,
      topic: 'attest.evidence.events.v1',
      data: { file: `f${i}.pdf`, sha256: 'ab'.repeat(32) },
      metadata: { actor: 'u1', correlationId: 'c1' },
      recordedAt: `2026-01-0${i}T00:00:00.000Z`,
      position: { transactionId: String(100 + i), globalPosition: 10 * i },
      prevHash: prev,
      hash: '',
    };
    e.hash = hash(prev, e);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

describe('hash chain', () => {
  it('hashes the published form: SHA-256 of the RFC 8785 JSON of the CloudEvent attributes, data and prevhash', () => {
    const [e] = chain(1);
    const form = chainedFormOf(e);
    expect(form).toEqual({
      id: e.eventId,
      source: '/attest/evidence',
      type: 'io.attest.evidence.collected.v1',
      time: '2026-01-01T00:00:00.000Z',
      subject: 'evidence-1',
      tenantid: 'acme',
      streamversion: 1,
      tenantsequence: 1,
      globalposition: 10,
      schemaversion: 1,
      correlationid: 'c1',
      data: e.data,
    } satisfies ChainedEvent);
    // The documented rule, written out by hand (docs/events/README.md).
    const text =
      `{"correlationid":"c1","data":{"file":"f1.pdf","sha256":"${'ab'.repeat(32)}"},"globalposition":10,` +
      `"id":"${e.eventId}","prevhash":"${GENESIS_HASH}","schemaversion":1,"source":"/attest/evidence",` +
      `"streamversion":1,"subject":"evidence-1","tenantid":"acme","tenantsequence":1,` +
      `"time":"2026-01-01T00:00:00.000Z","type":"io.attest.evidence.collected.v1"}`;
    expect(e.hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('covers the global position, the public type and the schema version (today a reorder or retype went unseen)', () => {
    const [e] = chain(1);
    for (const forged of [
      { ...e, position: { ...e.position, globalPosition: 11 } },
      { ...e, ceType: 'io.attest.evidence.deleted.v1' },
      { ...e, schemaVersion: 2 },
    ])
      expect(chainHash(GENESIS_HASH, chainedFormOf(forged))).not.toBe(e.hash);
  });

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
    expect(chainHash(GENESIS_HASH, chainedFormOf(reordered))).toBe(e.hash);
  });

  it('names an edited event by id and position', () => {
    const events = chain(4);
    events[2] = { ...events[2], data: { file: 'forged.pdf', sha256: 'ab'.repeat(32) } };
    expect(verifyEvents('acme', events)).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      eventId: events[2].eventId,
      tenantSequence: 3,
      globalPosition: 30,
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
    forged.hash = chainHash(forged.prevHash, chainedFormOf(forged));
    expect(verifyEvents('acme', [events[0], forged, events[2], events[3]])).toMatchObject({
      ok: false,
      reason: 'broken-link',
      tenantSequence: 3,
    });
  });

  it('still verifies events recorded before the published form (source ""), but only as the oldest prefix', () => {
    const legacy = chain(2, (prev, e) => legacyChainHash(prev, e)).map((e) => ({ ...e, source: '' }));
    // Migration 2 gave old rows source ''; rehash with it so the fixture is what such rows look like.
    let prev = GENESIS_HASH;
    for (const e of legacy) {
      e.prevHash = prev;
      e.hash = legacyChainHash(prev, e);
      prev = e.hash;
    }
    const next = chain(3)[2];
    next.prevHash = prev;
    next.hash = chainHash(prev, chainedFormOf(next));
    expect(verifyEvents('acme', [...legacy, next])).toMatchObject({ ok: true, events: 3 });

    // After a new-form event, the old formula is no longer accepted.
    const late = { ...chain(4)[3], source: '', prevHash: next.hash };
    late.hash = legacyChainHash(next.hash, late);
    expect(verifyEvents('acme', [...legacy, next, late])).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      tenantSequence: 4,
    });
  });
});
