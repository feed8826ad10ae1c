import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Payload, Transport } from '@nestjs/microservices';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { infraEndpoints } from '@attest/platform-config';

const topic = `attest.smoke.nest.${randomUUID()}`;
const groupId = `attest-smoke-nest-${randomUUID()}`;

interface Seen {
  payload: unknown;
  key: string | undefined;
  ceType: string | undefined;
}
const seen: Seen[] = [];
let onSeen: () => void = () => undefined;

@Controller()
class SmokeEventsController {
  @EventPattern(topic)
  handle(@Payload() payload: unknown, @Ctx() ctx: KafkaContext): void {
    const message = ctx.getMessage();
    seen.push({ payload, key: message.key?.toString(), ceType: message.headers?.['ce_type']?.toString() });
    onSeen();
  }
}

@Module({ controllers: [SmokeEventsController] })
class SmokeEventsModule {}

describe('@nestjs/microservices Kafka transport (real broker)', () => {
  const { kafkaBrokers } = infraEndpoints();
  const kafka = new Kafka({
    clientId: 'attest-smoke-nest-producer',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  let app: INestMicroservice;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    app = await NestFactory.createMicroservice(SmokeEventsModule, {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'attest-smoke', brokers: kafkaBrokers, logLevel: logLevel.NOTHING },
        consumer: { groupId },
        subscribe: { fromBeginning: true },
        // Nest appends "-server" to ids by default; integrators see group names, so keep them as written.
        postfixId: '',
      },
      logger: false,
    });
    await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('hands an event-pattern handler the decoded payload, key and headers', async () => {
    const arrived = new Promise<void>((resolve) => (onSeen = resolve));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: 'assessment-1',
          value: JSON.stringify({ answer: 'implemented' }),
          headers: { ce_type: 'io.attest.smoke.v1' },
        },
      ],
    });
    await producer.disconnect();
    await arrived;

    expect(seen).toEqual([
      { payload: { answer: 'implemented' }, key: 'assessment-1', ceType: 'io.attest.smoke.v1' },
    ]);
    // The consumer group carries exactly the configured name, as integrators and lag dashboards see it.
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    expect(groups.map((g) => g.groupId)).toContain(groupId);
  });
});
