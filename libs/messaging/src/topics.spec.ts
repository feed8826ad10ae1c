import { deadLetterTopic } from './topics';

describe('topic names', () => {
  it('names a consumer group’s dead-letter topic and refuses a group id Kafka cannot take as a topic', () => {
    expect(deadLetterTopic('evidence-projector')).toBe('attest.dlq.evidence-projector');
    expect(() => deadLetterTopic('has space')).toThrow(/not a valid Kafka topic name/);
  });
});
