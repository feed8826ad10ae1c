import { infraEndpoints } from '@attest/platform-config';
import { kafkaRoundTrip } from './kafka-round-trip';

describe('Kafka round trip (real broker)', () => {
  it('delivers every keyed record with its headers, in order per key, through a consumer group', async () => {
    const { sent, received } = await kafkaRoundTrip(infraEndpoints().kafkaBrokers, 8);

    expect(received).toHaveLength(sent);
    for (const r of received) {
      expect(r.key).toMatch(/^aggregate-[01]$/);
      expect(r.headers['ce_type']).toBe('io.attest.smoke.pinged.v1');
      expect(r.headers['ce_id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Same key, same partition, produced order kept: what per-aggregate event ordering relies on.
    for (const key of ['aggregate-0', 'aggregate-1']) {
      const ofKey = received.filter((r) => r.key === key);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      const seqs = ofKey.map((r) => (JSON.parse(r.value) as { seq: number }).seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});
