// Set-up the service's integration specs share (not used by the service itself): the service taking worked data
// from Kafka, a CPA firm with its auditor, an engagement in fieldwork, and reading responses over HTTP.
import type { Producer } from 'kafkajs';
import type request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, type EncodedRecord } from '@attest/messaging';
import { cleanUpKafka, testKafka } from '@attest/messaging/testing';
import type { Clock } from '@attest/service-kit';
import { startEngagement, USERS, type RunningEngagement, type UserClient } from './engagement-test-app';
import {
  publishWorkedRecords,
  workedMessaging,
  WORKED_CATEGORIES,
  WORKED_WINDOW,
  type WorkedData,
  type WorkedKafka,
} from './worked-data';

/** A response body as a spec reads it. */
export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The body of a response with the expected status; any other status fails with the body (the refusal) printed. */
export function ok(res: request.Response, status = 200): Body {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Body;
}

/** Every item of a paginated list, following its `next` links, as `client` reads them. */
export async function allPages(client: UserClient, route: string): Promise<Body[]> {
  const items: Body[] = [];
  for (let next: string | null = route; next;) {
    const page = ok(await client.get(next));
    items.push(...page.items);
    next = page.next ? page.next.replace(/^\/v1/, '') : null;
  }
  return items;
}

export interface WorkedService {
  db: TestDatabase;
  producer: Producer;
  service: RunningEngagement;
  /** Acme's compliance manager and the CPA firm's auditor (reaching acme only once invited). */
  manager: UserClient;
  auditor: UserClient;
  /** Stops the service and the producer, removes the suite's topics and groups, drops the database. */
  close(): Promise<void>;
}

/**
 * The service on a fresh database, its consumers on the suite's fresh topics, once they took every record given
 * (published as the other services' relays would).
 */
export async function startWithWorkedData(options: {
  database: string;
  kafkaClientId: string;
  kafka: WorkedKafka;
  records: EncodedRecord[];
  clock?: Clock;
}): Promise<WorkedService> {
  const { kafka } = options;
  let producer: Producer | undefined;
  let service: RunningEngagement | undefined;
  const db = await createTestDatabase(options.database);
  // Also what a set-up that failed half-way leaves behind.
  const close = async () => {
    await service?.close();
    await producer?.disconnect();
    await cleanUpKafka(
      testKafka(),
      [...Object.values(kafka.topics), ...Object.values(kafka.groups).map((g) => `attest.dlq.${g}`)],
      Object.values(kafka.groups),
    );
    await db.drop();
  };
  try {
    producer = testKafka(options.kafkaClientId).producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    service = await startEngagement({
      pool: db.pool,
      messaging: workedMessaging(kafka),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await publishWorkedRecords(service.app, producer, kafka, options.records);
    return {
      db,
      producer,
      service,
      manager: service.as(USERS.manager),
      auditor: service.as(USERS.auditor),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Registers a CPA firm with the demo auditor as its lead; answers the firm's id. */
export async function firmWithAuditor(
  manager: UserClient,
  name = 'Harbor & Finch CPAs LLP',
): Promise<string> {
  const { firmId } = ok(await manager.post('/firms').send({ name }), 201);
  ok(
    await manager
      .post(`/firms/${firmId}/auditors`)
      .send({ email: USERS.auditor, name: 'Avery Quinn', role: 'lead' }),
  );
  return firmId as string;
}

/**
 * Plans the engagement `plan` describes, invites the firm's auditor `email` (the demo auditor unless named) and
 * starts fieldwork; when `accepting` is given, that auditor accepts the invitation before fieldwork starts.
 * Answers the planned engagement.
 */
export async function engagementInFieldwork(
  manager: UserClient,
  plan: Body,
  options: { email?: string; accepting?: UserClient } = {},
): Promise<Body> {
  const engagement = ok(await manager.post('/engagements').send(plan), 201);
  const e = `/engagements/${engagement.engagementId}`;
  ok(await manager.post(`${e}/auditors`).send({ email: options.email ?? USERS.auditor }));
  if (options.accepting) ok(await options.accepting.post(`${e}/invitation-acceptance`));
  ok(await manager.post(`${e}/status`).send({ to: 'fieldwork' }));
  return engagement;
}

/** The plan of a Type II engagement with the firm of every worked control over the worked window. */
export function workedTypeTwoPlan(firmId: string, worked: WorkedData): Body {
  return {
    firmId,
    name: 'SOC 2 Type II 2026 H1',
    type: 'type-2',
    window: WORKED_WINDOW,
    scope: {
      categories: [...WORKED_CATEGORIES],
      controlIds: Object.values(worked.controls).map((c) => c.controlId),
    },
  };
}
