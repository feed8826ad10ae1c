// Helpers for the service's integration tests (not used by the service itself).
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import { infraEndpoints } from '@attest/platform-config';
import { createReadinessApp, readinessModuleOptions } from './readiness-app';

export interface TestApp {
  app: NestExpressApplication;
  logs: Record<string, unknown>[];
}

/** The service on a test database, initialized (projections set up, relay running), not listening. */
export async function startTestApp(pool: Pool): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const app = await createReadinessApp(
    readinessModuleOptions(pool, infraEndpoints(), { projectionPollMs: 200 }),
    { logLevel: 'info', writeLog: (line) => logs.push(JSON.parse(line)) },
  );
  await app.init();
  return { app, logs };
}

/** A tenant id no other test uses. */
export function freshTenant(prefix = 'it'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** supertest requests carrying the tenant header. */
export function tenantClient(app: NestExpressApplication, tenant: string) {
  const server = app.getHttpServer();
  const withTenant = (r: request.Test) => r.set('X-Attest-Tenant', tenant);
  return {
    get: (path: string) => withTenant(request(server).get(path)),
    post: (path: string, body?: object) => withTenant(request(server).post(path)).send(body ?? {}),
    put: (path: string, body?: object) => withTenant(request(server).put(path)).send(body ?? {}),
    patch: (path: string, body?: object) => withTenant(request(server).patch(path)).send(body ?? {}),
  };
}

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
