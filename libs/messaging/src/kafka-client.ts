import { Kafka, logLevel, type ProducerConfig, Partitioners } from 'kafkajs';
import { infraEndpoints } from '@attest/platform-config';

export interface KafkaClientOptions {
  clientId: string;
  /** Default: ATTEST_KAFKA_BROKERS through platform-config. */
  brokers?: string[];
  /** kafkajs's own log level; default WARN. */
  logLevel?: logLevel;
}

/** A kafkajs client for the configured brokers. */
export function kafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers ?? infraEndpoints().kafkaBrokers,
    logLevel: options.logLevel ?? logLevel.WARN,
  });
}

/**
 * Every Attest producer: idempotent, one request in flight (so retries cannot reorder), all replicas acknowledge
 * (send with `acks: -1`), and the partitioner named explicitly (kafkajs 2 changed its default).
 */
export const ATTEST_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
};
