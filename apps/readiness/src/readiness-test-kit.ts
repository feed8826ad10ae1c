// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import { infraEndpoints } from '@attest/platform-config';
import { questionnaireFor } from '@attest/readiness-domain';
import { API_VERSION, type Clock } from '@attest/service-kit';
import { demoAuthentication, sentAs, type DemoUser } from '@attest/service-kit/testing';
import { createReadinessApp, readinessModuleOptions } from './readiness-app';

export {
  ACME,
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
 * The service on a test database, initialized (projections set up, relay running), not listening, accepting the
 * identity provider's tokens; with `clock`, the time it gives what happens (a settableClock from
 * @attest/service-kit/testing). The suites answer whole questionnaires within seconds as one user, far above the
 * per-principal rate limit of a real client, so the limit is raised (the guard stays in place).
 */
export async function startTestApp(pool: Pool, options: { clock?: Clock } = {}): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const app = await createReadinessApp(
    readinessModuleOptions(pool, infraEndpoints(), { projectionPollMs: 200, ...options }),
    {
      authentication: demoAuthentication(),
      rateLimit: { limit: 100_000 },
      logLevel: 'info',
      writeLog: (line) => logs.push(JSON.parse(line)),
    },
  );
  await app.init();
  return { app, logs };
}

/** The URL path of an API route: `/assessments` is served at `/v1/assessments`. */
export function apiRoute(route: string): string {
  return `/${API_VERSION}${route}`;
}

/** supertest requests to API routes (`/assessments`, …) as a demo user, with the user's access token. */
export function userClient(app: NestExpressApplication, user: DemoUser) {
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

/** A risk for the register (a vendor breach), with `changes` made to it. */
export function riskBody(changes: Record<string, unknown> = {}) {
  return {
    title: 'Vendor breach',
    description: 'A subprocessor leaks customer data.',
    category: 'vendor',
    inherent: { likelihood: 3, impact: 4 },
    residual: { likelihood: 2, impact: 3 },
    treatment: 'transfer',
    owner: DANA,
    reviewDate: '2026-12-31',
    ...changes,
  };
}
