// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import {
  readUntil,
  testKafka,
  topicEnds,
  waitFor,
  type SeenRecord,
  type TopicOffsets,
} from '@attest/messaging/testing';
import { infraEndpoints } from '@attest/platform-config';
import { questionnaireFor } from '@attest/readiness-domain';
import type { Clock } from '@attest/service-kit';
import { apiRoute, sentAs, testHttpOptions, type TestUser } from '@attest/service-kit/testing';
import { READINESS_TOPIC } from './event-flow/readiness-events';
import { createReadinessApp, readinessModuleOptions } from './readiness-app';
import { READ_MODEL_SCHEMA } from './readiness-options';

export {
  ACME,
  apiRoute,
  DEMO_SERVICE,
  DEMO_USER_OF_ROLE as USER_OF_ROLE,
  DEMO_USERS as USERS,
  GLOBEX,
  requestHeaders,
  tokenFor as accessToken,
  type DemoUser,
} from '@attest/service-kit/testing';

export interface TestApp {
  app: NestExpressApplication;
  logs: Record<string, unknown>[];
}

/**
 * The service on a test database, initialized (projections set up, relay running), not listening, with the HTTP side
 * of testHttpOptions (the identity provider's tokens, a raised rate limit, captured logs); with `clock`, the time it
 * gives what happens (a settableClock from @attest/service-kit/testing).
 */
export async function startTestApp(pool: Pool, options: { clock?: Clock } = {}): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const app = await createReadinessApp(
    readinessModuleOptions(pool, infraEndpoints(), { projectionPollMs: 200, ...options }),
    testHttpOptions(logs),
  );
  await app.init();
  return { app, logs };
}

/** supertest requests to API routes (`/assessments`, …) as a demo user (or service), with its access token. */
export function userClient(app: NestExpressApplication, user: TestUser) {
  const server = app.getHttpServer();
  const as = (test: request.Test) => sentAs(test, user);
  return {
    /** A request to send as it is: no body yet (malformed ones, other media types). */
    raw: (method: 'get' | 'post' | 'put' | 'patch', route: string) =>
      as(request(server)[method](apiRoute(route))),
    get: (route: string) => as(request(server).get(apiRoute(route))),
    post: (route: string, body?: object) => as(request(server).post(apiRoute(route))).send(body ?? {}),
    put: (route: string, body?: object) => as(request(server).put(apiRoute(route))).send(body ?? {}),
    patch: (route: string, body?: object) => as(request(server).patch(apiRoute(route))).send(body ?? {}),
  };
}

export type UserClient = ReturnType<typeof userClient>;

export const MARCUS = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };
export const DANA = { personId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', displayName: 'Dana Ortiz' };
export const PRIYA = {
  personId: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
  email: 'priya.raman@lumen-analytics.example',
};

export const SYSTEM_DESCRIPTION = {
  systemName: 'Lumen Analytics Platform',
  services: [
    { name: 'Product analytics', description: 'Collects, stores and reports product usage events.' },
  ],
  principalServiceCommitments: [
    { commitment: '99.9% monthly availability of the ingest API', categories: ['availability'] },
    { commitment: 'Customer data is encrypted in transit and at rest', categories: ['security'] },
  ],
  infrastructure: [
    { name: 'Production AWS account', kind: 'cloud-platform', provider: 'Amazon Web Services' },
    { name: 'Event warehouse', kind: 'database', description: 'ClickHouse cluster holding customer events' },
  ],
  software: [{ name: 'Ingest API', purpose: 'Receives events from customer SDKs' }],
  people: { headcount: 42, teams: [{ name: 'Platform', responsibilities: 'Runs production and on-call' }] },
  data: [
    { category: 'Customer analytics events', classification: 'confidential', containsPersonalData: true },
  ],
  subserviceOrganizations: [
    {
      name: 'Amazon Web Services',
      services: 'Hosting and managed databases',
      method: 'carve-out',
      complementaryControls: ['Physical security of the data centers'],
    },
  ],
};

export function startBody(name = 'FY26 readiness', categories: string[] = ['availability']) {
  return { name, categories, targetReportType: 'type-2', systemDescription: SYSTEM_DESCRIPTION };
}

/** Answers every point of focus of the assessment's scope (security alone by default) with `answerOf(ref)`. */
export async function answerEvery(
  client: UserClient,
  assessmentId: string,
  answerOf: (ref: string) => string,
  categories: string[] = [],
): Promise<void> {
  for (const { ref } of questionnaireFor(categories))
    await client.put(`/assessments/${assessmentId}/answers/${ref}`, { answer: answerOf(ref) }).expect(200);
}

/** A risk for the register (a vendor breach, transferred to an insurer), with `changes` made to it. */
export function riskBody(changes: Record<string, unknown> = {}) {
  return {
    title: 'Vendor breach',
    description: 'A subprocessor leaks customer data.',
    category: 'vendor',
    inherent: { likelihood: 3, impact: 4 },
    residual: { likelihood: 2, impact: 3 },
    treatment: 'transfer',
    transferredTo: 'Northwind Mutual (cyber insurer)',
    treatmentRationale: 'The cyber policy covers breach costs at subprocessors.',
    owner: DANA,
    reviewDate: '2026-12-31',
    ...changes,
  };
}

/** The calendar day (UTC) `days` after `today` (the service's clock: the real one unless the test set one). */
export function dayAfter(days: number, today: Date = new Date()): string {
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A documented review confirming a risk's ratings, next due in six months, with `changes` made to it. */
export function reviewBody(changes: Record<string, unknown> = {}, today?: Date) {
  return {
    outcome: 'unchanged',
    notes: 'Reviewed with the owner; the ratings still hold.',
    nextReviewDate: dayAfter(180, today),
    ...changes,
  };
}

/**
 * The annual risk assessment of the year up to `today`, due again within the year, with `changes` made to it. It
 * is refused until every open risk had a review in that year (see `reviewOpenRisks`).
 */
export function riskAssessmentBody(changes: Record<string, unknown> = {}, today?: Date) {
  return {
    periodStart: dayAfter(-330, today),
    periodEnd: dayAfter(0, today),
    fraudRiskConsidered: true,
    fraudRiskNotes: 'Workshop with finance on payment approval and refund abuse.',
    significantChangesConsidered: true,
    significantChangesNotes: 'The move to a new hosting region was assessed.',
    nextAssessmentDue: dayAfter(300, today),
    ...changes,
  };
}

/** Reviews every open risk of the client's organization (unchanged), as the annual risk assessment needs. */
export async function reviewOpenRisks(client: UserClient, today?: Date): Promise<void> {
  const open = (await client.get('/risks?status=open&limit=100').expect(200)).body.items as {
    riskId: string;
  }[];
  for (const { riskId } of open)
    await client.post(`/risks/${riskId}/reviews`, reviewBody({}, today)).expect(200);
}

/**
 * What a request could change, as data to compare ("changes nothing" means this stays equal): the events (count and
 * last position), the tenants' hash-chain heads, the streams, the snapshots and every read-model row; of every
 * tenant, or of `tenant` only. `except`: a sentinel stream (see `settle`) left out, the chain heads taken as they were
 * before its events.
 */
export async function storeState(
  pool: Pool,
  options: { tenant?: string; except?: string } = {},
): Promise<Record<string, unknown>> {
  const params: string[] = [];
  const param = (value: string) => `$${params.push(value)}`;
  const tenant = options.tenant === undefined ? null : param(options.tenant);
  const except = options.except === undefined ? null : param(options.except);
  const where = (...conditions: (string | false)[]) => {
    const kept = conditions.filter(Boolean);
    return kept.length ? `WHERE ${kept.join(' AND ')}` : '';
  };
  const ofTenant = tenant !== null && `tenant_id = ${tenant}`;
  const notSentinel = except !== null && `stream_id <> ${except}`;
  const query = async (sql: string) => (await pool.query(sql, params)).rows;
  const tables = (
    await pool.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE table_schema = $1 AND ($2::boolean OR column_name = 'tenant_id') ORDER BY table_name`,
      [READ_MODEL_SCHEMA, tenant === null],
    )
  ).rows.map((r) => r.table_name);
  const readModels: Record<string, unknown> = {};
  for (const table of tables)
    readModels[table] = (
      await query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash
         FROM ${READ_MODEL_SCHEMA}.${table} t
         ${where(tenant !== null && `t.tenant_id = ${tenant}`, except !== null && `t::text NOT LIKE '%' || ${except} || '%'`)}`,
      )
    )[0];
  const sentinelEvents = `FROM event_store.events e WHERE e.tenant_id = c.tenant_id AND e.stream_id = ${except ?? 'NULL'}`;
  return {
    events: (
      await query(
        `SELECT count(*) AS n, max(global_position) AS last FROM event_store.events ${where(ofTenant, notSentinel)}`,
      )
    )[0],
    heads: await query(
      `SELECT * FROM (
         SELECT tenant_id, last_sequence - (SELECT count(*) ${sentinelEvents}) AS last_sequence,
           coalesce((SELECT e.prev_hash ${sentinelEvents} ORDER BY e.tenant_sequence LIMIT 1), last_hash) AS last_hash
         FROM event_store.tenant_chains c ${where(ofTenant)}) h
       WHERE last_sequence > 0 ORDER BY tenant_id`,
    ),
    streams: (
      await query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(stream_id || ':' || version, ',' ORDER BY stream_id), ''))
         AS hash FROM event_store.streams ${where(ofTenant, notSentinel)}`,
      )
    )[0],
    snapshots: (
      await query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(stream_id || ':' || stream_version, ',' ORDER BY stream_id), ''))
         AS hash FROM event_store.snapshots
         ${where(tenant !== null && `stream_id IN (SELECT stream_id FROM event_store.streams WHERE tenant_id = ${tenant})`, notSentinel)}`,
      )
    )[0],
    readModels,
  };
}

/** The moment before the requests under test: where the events topic ends and which events the store holds. */
export interface Mark {
  from: TopicOffsets;
  eventIds: ReadonlySet<string>;
}

export async function mark(pool: Pool): Promise<Mark> {
  return {
    from: await topicEnds(testKafka('readiness-mark'), [READINESS_TOPIC]),
    eventIds: new Set(await eventIds(pool)),
  };
}

/**
 * Proof that the service has processed everything before now, so that "nothing changed" cannot pass merely because
 * the projection runners or the relay never ran: `client` registers a risk, the sentinel; once every projection has
 * applied it, the events topic is read from `since` until the relay has published it, and on to the end. Returns the sentinel (stream id, event id, log position) and every record of an event this
 * database did not hold at `since` that was published meanwhile: the sentinel's alone when nothing else happened.
 */
export async function settle(
  client: UserClient,
  pool: Pool,
  since: Mark,
): Promise<{ streamId: string; eventId: string; globalPosition: string; published: SeenRecord[] }> {
  const streamId = (await client.post('/risks', riskBody({ title: 'Sentinel' })).expect(201)).body.riskId;
  const { event_id: eventId, global_position: globalPosition } = (
    await pool.query<{ event_id: string; global_position: string }>(
      'SELECT event_id::text, global_position::text FROM event_store.events WHERE stream_id = $1',
      [streamId],
    )
  ).rows[0];
  // The command waits for the projections only up to a limit (then answers anyway); the test waits on.
  await waitFor('every projection to apply the sentinel', async () => {
    const { rows } = await pool.query<{ global_position: string }>(
      'SELECT global_position::text FROM event_store.projection_checkpoints',
    );
    return rows.length > 0 && rows.every((c) => BigInt(c.global_position) >= BigInt(globalPosition));
  });
  const records = await readUntil(
    testKafka('readiness-settle'),
    [READINESS_TOPIC],
    (rs) => rs.some((r) => r.headers['ce_id'] === eventId),
    60_000,
    { from: since.from },
  );
  const fresh = new Set((await eventIds(pool)).filter((id) => !since.eventIds.has(id)));
  return {
    streamId,
    eventId,
    globalPosition,
    published: records.filter((r) => fresh.has(r.headers['ce_id'])),
  };
}

async function eventIds(pool: Pool): Promise<string[]> {
  return (await pool.query<{ id: string }>('SELECT event_id::text AS id FROM event_store.events')).rows.map(
    (r) => r.id,
  );
}
