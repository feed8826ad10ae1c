import { chainedFormOf, chainHash, type RecordedEvent } from '@attest/event-store';
import {
  chainedFormOfCloudEvent,
  CloudEventDecodeError,
  decodeCloudEvent,
  encodeCloudEvent,
} from './cloud-event-codec';

const stored: Omit<RecordedEvent, 'hash'> = {
  eventId: '0b9d6f0e-8a43-4c1e-9a55-3f1f4f0f2a11',
  tenantId: 'tenant-acme',
  streamId: 'evidence-42',
  streamType: 'evidence',
  streamVersion: 3,
  tenantSequence: 17,
  type: 'EvidenceCollected',
  ceType: 'io.attest.evidence.collected.v1',
  source: '/attest/evidence',
  schemaVersion: 2,
  topic: 'attest.evidence.events.v1',
  data: { controlId: 'CC6.1', files: ['a.pdf'], note: 'ünïcode', size: 1.5e21 },
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'user-9' },
  recordedAt: '2025-03-01T10:20:30.123Z',
  position: { transactionId: '900', globalPosition: 55 },
  prevHash: 'a'.repeat(64),
};
const recorded: RecordedEvent = {
  ...stored,
  hash: chainHash(stored.prevHash, chainedFormOf({ ...stored, hash: '' })),
};

/** What a consumer receives: values and headers as Buffers. */
function asConsumed(message: { value: string | null; headers: Record<string, string> }) {
  return {
    value: message.value === null ? null : Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('CloudEvents Kafka binary-mode codec', () => {
  it('encodes every attribute as a header (type, source and topic as stored), the data as the value and the stream id as the key', () => {
    const { topic, message } = encodeCloudEvent(recorded);
    expect(topic).toBe('attest.evidence.events.v1');
    expect(message.key).toBe('evidence-42');
    expect(JSON.parse(message.value)).toEqual(recorded.data);
    expect(message.headers).toEqual({
      ce_id: recorded.eventId,
      ce_source: '/attest/evidence',
      ce_type: 'io.attest.evidence.collected.v1',
      ce_specversion: '1.0',
      ce_time: '2025-03-01T10:20:30.123Z',
      ce_subject: 'evidence-42',
      ce_tenantid: 'tenant-acme',
      ce_dataschema: 'urn:attest:event-schema:io.attest.evidence.collected.v1',
      ce_streamversion: '3',
      ce_tenantsequence: '17',
      ce_globalposition: '55',
      ce_schemaversion: '2',
      ce_attesthash: recorded.hash,
      ce_attestprevhash: 'a'.repeat(64),
      ce_correlationid: 'corr-1',
      ce_causationid: 'cause-1',
      'content-type': 'application/json',
    });
  });

  it('leaves out correlation and causation when the metadata has none', () => {
    const { message } = encodeCloudEvent({ ...recorded, metadata: { actor: 'x' } });
    expect(message.headers).not.toHaveProperty('ce_correlationid');
    expect(message.headers).not.toHaveProperty('ce_causationid');
  });

  it('round-trips to a typed CloudEvent', () => {
    const { message } = encodeCloudEvent(recorded);
    expect(decodeCloudEvent(asConsumed(message))).toEqual({
      specversion: '1.0',
      id: recorded.eventId,
      source: '/attest/evidence',
      type: 'io.attest.evidence.collected.v1',
      time: recorded.recordedAt,
      subject: 'evidence-42',
      datacontenttype: 'application/json',
      dataschema: 'urn:attest:event-schema:io.attest.evidence.collected.v1',
      tenantid: 'tenant-acme',
      streamversion: 3,
      tenantsequence: 17,
      globalposition: 55,
      schemaversion: 2,
      attesthash: recorded.hash,
      attestprevhash: 'a'.repeat(64),
      correlationid: 'corr-1',
      causationid: 'cause-1',
      data: recorded.data,
    });
  });

  it('lets a consumer recompute the chain hash from the received record alone, whatever the JSON formatting', () => {
    // The relay sends the stored jsonb text as it is: other key order and spacing than JSON.stringify.
    const value = '{"size": 1.5e21, "note": "\u00fcn\u00efcode", "files": ["a.pdf"], "controlId": "CC6.1"}';
    const received = decodeCloudEvent(asConsumed(encodeCloudEvent(recorded, { value }).message));
    expect(chainHash(received.attestprevhash, chainedFormOfCloudEvent(received))).toBe(received.attesthash);
  });

  it('gives a different hash when any hashed attribute or the data was changed in transit', () => {
    const { message } = encodeCloudEvent(recorded);
    for (const [header, forged] of [
      ['ce_type', 'io.attest.evidence.deleted.v1'],
      ['ce_globalposition', '56'],
      ['ce_schemaversion', '1'],
      ['ce_time', '2025-03-01T10:20:30.124Z'],
      ['ce_causationid', 'cause-2'],
    ]) {
      const received = decodeCloudEvent(
        asConsumed({ ...message, headers: { ...message.headers, [header]: forged } }),
      );
      expect({
        header,
        hash: chainHash(received.attestprevhash, chainedFormOfCloudEvent(received)),
      }).not.toEqual({
        header,
        hash: received.attesthash,
      });
    }
    const edited = decodeCloudEvent(
      asConsumed({ ...message, value: message.value.replace('a.pdf', 'b.pdf') }),
    );
    expect(chainHash(edited.attestprevhash, chainedFormOfCloudEvent(edited))).not.toBe(edited.attesthash);
  });

  it('refuses to encode an event the store never routed to a topic', () => {
    expect(() => encodeCloudEvent({ ...recorded, topic: null })).toThrow(/has no topic/);
    expect(encodeCloudEvent({ ...recorded, topic: null }, { topic: 'elsewhere' }).topic).toBe('elsewhere');
  });

  it('decodes a record published before ce_globalposition and ce_schemaversion were carried', () => {
    const { message } = encodeCloudEvent(recorded);
    const { ce_globalposition: _g, ce_schemaversion: _v, ...headers } = message.headers;
    const received = decodeCloudEvent(asConsumed({ ...message, headers }));
    expect(received).toMatchObject({ schemaversion: 1 });
    expect(received).not.toHaveProperty('globalposition');
    // Its hash cannot be recomputed: the hashed form needs the global position.
    expect(chainHash(received.attestprevhash, chainedFormOfCloudEvent(received))).not.toBe(
      received.attesthash,
    );
  });

  it('keeps null data', () => {
    const { message } = encodeCloudEvent({ ...recorded, data: null });
    expect(message.value).toBe('null');
    expect(decodeCloudEvent(asConsumed(message)).data).toBeNull();
  });

  it('names every missing header', () => {
    const { message } = encodeCloudEvent(recorded);
    const { ce_type: _t, ce_subject: _s, ...headers } = message.headers;
    expect(() => decodeCloudEvent(asConsumed({ ...message, headers }), 'topic-a[2]@17')).toThrow(
      new CloudEventDecodeError(['missing headers ce_type, ce_subject'], 'topic-a[2]@17'),
    );
    expect(() => decodeCloudEvent(asConsumed({ ...message, headers }))).toThrow(
      'cannot decode CloudEvent: missing headers ce_type, ce_subject',
    );
  });

  it('says when the value is not JSON, or missing', () => {
    const { message } = encodeCloudEvent(recorded);
    expect(() => decodeCloudEvent(asConsumed({ ...message, value: '{not json' }))).toThrow(
      /value is not JSON/,
    );
    expect(() => decodeCloudEvent(asConsumed({ ...message, value: null }))).toThrow(/value is empty/);
  });

  it('refuses malformed attributes, reporting them all at once', () => {
    const { message } = encodeCloudEvent(recorded);
    const headers = {
      ...message.headers,
      ce_specversion: '0.3',
      ce_id: 'not-a-uuid',
      ce_time: 'yesterday',
      ce_streamversion: '0',
      'content-type': 'application/xml',
    };
    let error: CloudEventDecodeError | undefined;
    try {
      decodeCloudEvent(asConsumed({ ...message, headers }));
    } catch (err) {
      error = err as CloudEventDecodeError;
    }
    expect(error).toBeInstanceOf(CloudEventDecodeError);
    expect(error?.problems).toEqual([
      "unsupported ce_specversion '0.3' (expected '1.0')",
      "ce_id 'not-a-uuid' is not a UUID",
      "ce_time 'yesterday' is not a timestamp",
      "ce_streamversion '0' is not a positive integer",
      "unsupported content-type 'application/xml' (expected 'application/json')",
    ]);
  });
});
