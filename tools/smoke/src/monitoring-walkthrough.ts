import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { alterSystemForTest, superuserUrl } from '@attest/event-store/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings } from '@attest/service-kit/testing';
import {
  client,
  postgresqlCollectorConfig,
  registerUser,
  startEvidenceService,
  type Call,
  type Json,
} from './evidence-walkthrough';
import { poll } from './poll';

/** What the demo reads of the receiver (apps/monitoring/src/webhooks/testing/webhook-receiver.ts). */
interface WebhookReceiver {
  url: string;
  received: {
    id: string;
    body: string;
    event: { type: string; subject: string; data: unknown } | null;
    secretKnown: boolean;
    status: number;
  }[];
  useSecret(secret: string): void;
  delivered(): WebhookReceiver['received'];
  close(): Promise<void>;
}

// The receiver the monitoring service's webhook specs verify with (`standardwebhooks`), as an integrator would; an
// app's file, so loaded by path at run time as the demo's control-mapping clock loads its module.
const { startWebhookReceiver } = require(
  path.resolve(__dirname, '../../../apps/monitoring/src/webhooks/testing/webhook-receiver'),
) as { startWebhookReceiver(): Promise<WebhookReceiver> };

/** The shipped test the demo breaks: it reads `postgresql.server.logConnections`. */
const SHIPPED_TEST = 'postgresql-log-connections-enabled';
/** The organization's own test, proving its own logging control (no shipped test proves OPS-01). */
const CUSTOM_TEST = 'northwind-db-connections-logged';
const LOGGING_CONTROL = 'OPS-01';

export interface MonitoringStep {
  /** What the demo did to the database before the run. */
  action: string;
  runId: string;
  /** The shipped test's result for the server, and the organization's own test's. */
  shipped: string;
  custom: string;
  /** OPS-01 in the monitoring service, and in control-mapping's coverage matrix. */
  health: string;
  coverageHealth: string;
  openAlerts: number;
}

/** Webhooks of one event type at the receiver (see webhookCounts). */
export interface WebhookCount {
  type: string;
  received: number;
  verified: number;
  neverVerified: number;
}

export interface MonitoringWalkthroughResult {
  manager: string;
  server: string;
  webhookUrl: string;
  steps: MonitoringStep[];
  /**
   * Every webhook the receiver got, by event type: how many, and how many of them had a valid Standard Webhooks
   * signature. The service also alerts on the tenant's earlier collector runs (the evidence walkthrough's).
   */
  webhooks: WebhookCount[];
  /** The shipped test's alert on the server: raised, delivered, resolved when the setting came back. */
  alert: { alertId: string; resolvedBy: string | null };
  restored: string;
}

/**
 * Continuous monitoring, as a compliance manager sees it: the monitoring service runs tests on every collector run
 * of the evidence service. The manager adopts the logging control OPS-01, writes a CEL test of the organization's
 * own for it and registers a webhook endpoint (a local receiver that verifies each signature). The demo then breaks
 * the local PostgreSQL (`ALTER SYSTEM SET log_connections = off`) and runs the postgresql-security collector: the
 * tests fail, an alert is raised, OPS-01's health drops (also in control-mapping's coverage) and the receiver gets
 * the alert signed; restoring the setting recovers all of it. The setting is put back as it was, whatever happens.
 */
export async function monitoringWalkthrough(options: {
  tenantId: string;
  controlMappingUrl: string;
  controlSetId: string;
}): Promise<MonitoringWalkthroughResult> {
  const { tenantId } = options;
  const manager = await registerUser(tenantId, 'monitoring', 'Priya', 'Natarajan', 'compliance-manager');
  const cm = client(options.controlMappingUrl, manager.token);
  const adoption = await cm(
    'POST',
    `/control-sets/${options.controlSetId}/adopt`,
    { mode: 'picked', catalogControlIds: [LOGGING_CONTROL] },
    { 'Idempotency-Key': randomUUID() },
  );
  const loggingControl = (adoption.body.adopted as { controlId: string; catalogControlId: string }[]).find(
    (c) => c.catalogControlId === LOGGING_CONTROL,
  )?.controlId;
  if (!loggingControl) throw new Error(`control-mapping did not adopt ${LOGGING_CONTROL}`);

  // Each change is undone in reverse order in `finally`: the server ends as postgresql.auto.conf had it.
  const changes: { restore(): Promise<void> }[] = [];
  const receiver = await startWebhookReceiver();
  const services: ChildService[] = [];
  try {
    const monitoring = await startMonitoringService();
    services.push(monitoring);
    const { service: evidence } = await startEvidenceService(
      await mkdtemp(path.join(tmpdir(), 'attest-demo-monitoring-')),
    );
    services.push(evidence);
    const mo = client(await monitoring.url(120_000), manager.token);
    const ev = client(await evidence.url(120_000), manager.token);

    const endpoint = await mo(
      'POST',
      '/webhook-endpoints',
      {
        url: receiver.url,
        eventTypes: ['AlertRaised', 'AlertResolved', 'ControlHealthChanged'],
        description: 'Demo receiver',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    receiver.useSecret(endpoint.body.secret as string);
    await mo(
      'POST',
      '/tests',
      {
        testId: CUSTOM_TEST,
        title: 'Production database logs every connection',
        description: 'Our logging standard: every connection to a production database is logged.',
        factTypes: ['postgresql.server'],
        condition: 'resource.attributes.logConnections == true',
        details: "{'logConnections': resource.attributes.logConnections}",
        severity: 'high',
        controls: { catalogControlIds: [LOGGING_CONTROL], controlIds: [] },
        remediation: 'ALTER SYSTEM SET log_connections = on; SELECT pg_reload_conf();',
      },
      { 'Idempotency-Key': randomUUID() },
    );

    // The monitoring service knows the tenant's controls from control-mapping's topic.
    await poll(60_000, async () => ((await optional(mo, `/control-health/${loggingControl}`)) ? true : null));

    const steps: MonitoringStep[] = [];
    const run = async (action: string, logConnections: 'on' | 'off', expected: 'pass' | 'fail') => {
      changes.push(await alterSystemForTest('log_connections', logConnections));
      const { body } = await ev(
        'POST',
        '/collector-runs',
        { collectorId: 'postgresql-security', config: postgresqlCollectorConfig() },
        { 'Idempotency-Key': randomUUID() },
      );
      if (body.status !== 'succeeded')
        throw new Error(`the collector run failed: ${JSON.stringify(body.error)}`);
      const server = (body.facts as { resourceType: string; resourceId: string }[]).find(
        (f) => f.resourceType === 'postgresql.server',
      )?.resourceId;
      if (!server) throw new Error('the postgresql-security run found no postgresql.server');
      const runId = body.runId as string;
      // The monitoring service hears of the run over Kafka; the collector's answer does not wait for it.
      const [shipped, custom] = await Promise.all(
        [SHIPPED_TEST, CUSTOM_TEST].map((testId) => resultOf(mo, testId, server, runId)),
      );
      const wantedHealth = expected === 'pass' ? 'healthy' : 'failing';
      const health = await poll(60_000, async () => {
        const h = await optional(mo, `/control-health/${loggingControl}`);
        return h?.health === wantedHealth ? h : null;
      }).catch(
        async () => (await optional(mo, `/control-health/${loggingControl}`)) ?? { health: 'unknown' },
      );
      // Control-mapping hears of the health change over Kafka, after the monitoring service.
      const coverageHealth = await poll(60_000, async () => {
        const c = await coverageOf(cm, loggingControl);
        return c?.startsWith(wantedHealth) ? c : null;
      }).catch(async () => (await coverageOf(cm, loggingControl)) ?? 'not in the coverage matrix');
      const alerts = await mo('GET', `/alerts?status=open&testId=${SHIPPED_TEST}`);
      steps.push({
        action,
        runId,
        shipped: shipped.outcome,
        custom: `${custom.outcome}${custom.outcome === 'fail' ? ` ${JSON.stringify(custom.details)}` : ''}`,
        health: `${health.health}${health.reasons?.failingTests?.length ? ` (failing: ${health.reasons.failingTests.map((t: Json) => t.testId).join(', ')})` : ''}`,
        coverageHealth,
        openAlerts: alerts.body.items.length,
      });
      if (shipped.outcome !== expected || custom.outcome !== expected)
        throw new Error(
          `after "${action}" the tests said ${shipped.outcome}/${custom.outcome}, not ${expected}`,
        );
      if (health.health !== wantedHealth)
        throw new Error(`after "${action}" ${LOGGING_CONTROL} is ${health.health}, not ${wantedHealth}`);
      return { server, runId };
    };

    await run('log_connections = on (baseline)', 'on', 'pass');
    const broken = await run('ALTER SYSTEM SET log_connections = off; reload', 'off', 'fail');
    const raised = await poll(60_000, async () => {
      const { body } = await mo('GET', `/alerts?status=open&testId=${SHIPPED_TEST}`);
      return (body.items as Json[]).find((a) => a.resourceId === broken.server) ?? null;
    });
    await waitForWebhook(receiver, 'alert-raised', raised.alertId);
    await run('ALTER SYSTEM SET log_connections = on; reload', 'on', 'pass');
    const resolved = await poll(60_000, async () => {
      const { body } = await mo('GET', `/alerts/${raised.alertId}`);
      return body.status === 'resolved' ? body : null;
    });
    await waitForWebhook(receiver, 'alert-resolved', raised.alertId);

    return {
      manager: manager.username,
      server: broken.server,
      webhookUrl: receiver.url,
      steps,
      webhooks: webhookCounts(receiver),
      alert: { alertId: raised.alertId, resolvedBy: resolved.resolution?.resolution ?? null },
      restored: await restore(changes),
    };
  } catch (err) {
    const dead = services.find((s) => s.process.exitCode !== null);
    if (dead) throw new Error(`a service exited: ${dead.stderr.join('').slice(-2000)}`, { cause: err });
    throw err;
  } finally {
    await restore(changes).catch(() => undefined);
    await receiver.close();
    await Promise.all(services.map((s) => s.stop('SIGTERM')));
  }
}

/**
 * The test's latest result for the server once it comes from `runId`. Generous: on its first start the service
 * catches up on the evidence topic's earlier collector runs before it reaches this one.
 */
async function resultOf(mo: Call, testId: string, server: string, runId: string): Promise<Json> {
  return poll(180_000, async () => {
    const { body } = await mo('GET', `/tests/${testId}/results`);
    return (body.items as Json[]).find((r) => r.resourceId === server && r.runId === runId) ?? null;
  }).catch(() => {
    throw new Error(`no result of ${testId} for ${server} from run ${runId} within 180 s`);
  });
}

/** A GET that answers null for 404 (the monitoring service has not assessed the control yet). */
async function optional(call: Call, route: string): Promise<Json | null> {
  try {
    return (await call('GET', route)).body;
  } catch (err) {
    if (/→ 404/.test(String(err))) return null;
    throw err;
  }
}

/** The control's health as control-mapping's coverage matrix shows it, with the criteria it covers. */
async function coverageOf(cm: Call, controlId: string): Promise<string | null> {
  const { body } = await cm('GET', '/coverage');
  const criteria = (body.criteria as Json[]).filter((c) =>
    (c.controls as Json[]).some((control) => control.controlId === controlId),
  );
  const control = criteria[0]?.controls.find((c: Json) => c.controlId === controlId);
  if (!control) return null;
  return `${control.health} (criteria ${criteria.map((c) => `${c.criterion} ${c.health}`).join(', ')})`;
}

/**
 * Per event type: the requests received once the receiver had the secret, how many of those verified, and the
 * deliveries (by `webhook-id`) never verified at all. Requests that arrived before the secret was configured were
 * refused and are retried by the service, so they count only if never delivered afterwards.
 */
function webhookCounts(receiver: WebhookReceiver): WebhookCount[] {
  const counts = new Map<string, WebhookCount & { ids: Set<string>; verifiedIds: Set<string> }>();
  for (const r of receiver.received) {
    const type = r.event?.type ?? (JSON.parse(r.body) as { type: string }).type;
    const count = counts.get(type) ?? {
      type,
      received: 0,
      verified: 0,
      neverVerified: 0,
      ids: new Set<string>(),
      verifiedIds: new Set<string>(),
    };
    count.ids.add(r.id);
    if (r.event) count.verifiedIds.add(r.id);
    if (r.secretKnown) {
      count.received++;
      if (r.event) count.verified++;
    }
    counts.set(type, count);
  }
  return [...counts.values()].map(({ ids, verifiedIds, ...count }) => ({
    ...count,
    neverVerified: [...ids].filter((id) => !verifiedIds.has(id)).length,
  }));
}

async function waitForWebhook(receiver: WebhookReceiver, kind: string, alertId: string): Promise<void> {
  await poll(60_000, async () =>
    receiver
      .delivered()
      .some((r) => r.event?.type.includes(kind) && (r.event.data as { alertId?: string }).alertId === alertId)
      ? true
      : null,
  ).catch(() => {
    throw new Error(`no verified ${kind} webhook for alert ${alertId} within 60 s`);
  });
}

/** Undoes the ALTER SYSTEM changes, last first; says what new sessions see afterwards. */
async function restore(changes: { restore(): Promise<void> }[]): Promise<string> {
  while (changes.length) await changes.pop()?.restore();
  return `log_connections back as before the demo: ${await logConnectionsNow()}`;
}

/** log_connections as a new session sees it now. */
async function logConnectionsNow(): Promise<string> {
  const c = new Client({ connectionString: superuserUrl('postgres') });
  await c.connect();
  try {
    return (await c.query<{ log_connections: string }>('SHOW log_connections')).rows[0].log_connections;
  } finally {
    await c.end();
  }
}

/** The monitoring service as its own process on the demo's database. */
export async function startMonitoringService(): Promise<ChildService> {
  const idp = identityProviderSettings();
  return startChildService('apps/monitoring/src/main.ts', {
    ATTEST_OIDC_ISSUER: idp.issuer,
    ATTEST_OIDC_AUDIENCE: idp.audience,
    ATTEST_HTTP_PORT: String(await freePort()),
    ATTEST_MONITORING_DATABASE: 'attest_monitoring',
    // A receiver that fails is retried within seconds in the demo (the default waits up to an hour).
    ATTEST_WEBHOOK_RETRY_DELAYS_MS: '1000,2000,4000',
  });
}
