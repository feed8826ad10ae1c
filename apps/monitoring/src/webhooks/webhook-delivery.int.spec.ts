import { randomUUID } from 'node:crypto';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { chainHash } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { chainedFormOfCloudEvent, type CloudEvent } from '@attest/messaging';
import { waitFor } from '@attest/messaging/testing';
import { Webhook } from 'standardwebhooks';
import { alertIdOf, DEFAULT_WEBHOOK_EVENT_TYPES } from '@attest/monitoring-domain';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import {
  ACME,
  GLOBEX,
  startMonitoring,
  USERS,
  type RunningMonitoring,
  type TestUser,
} from '../testing/monitoring-test-app';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';
import { WebhookDeliveryWorker } from './webhook-delivery-worker';
import { WebhookDispatcher } from './webhook-dispatcher';

jest.setTimeout(120_000);

/** Fast enough for a test, with the shape of the real schedule: a delivery is tried 3 times in all. */
const RETRY_DELAYS_MS = [150, 400];

/**
 * Alert webhooks against PostgreSQL and a local receiver that verifies every request with `standardwebhooks`, as
 * an integrator's would: alerts arrive signed, a failing receiver gets retries with growing waits and then a
 * dead-letter record, and redelivery (same `webhook-id`) delivers every event exactly once in the end.
 */
describe('alert webhooks (PostgreSQL, a Standard Webhooks receiver)', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('attest_monitoring_webhooks');
    service = await startMonitoring({ pool: db.pool, webhookRetryDelaysMs: RETRY_DELAYS_MS });
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await db?.drop();
  });

  async function receiver(): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  }

  /** Registers an endpoint for `r` as the tenant's admin; `r` verifies with the secret from then on. */
  async function register(
    r: WebhookReceiver,
    body: Record<string, unknown> = {},
    user: TestUser = USERS.admin,
  ) {
    const res = await service
      .as(user)
      .post('/webhook-endpoints')
      .send({ url: r.url, ...body })
      .expect(201);
    r.useSecret(res.body.secret);
    return res;
  }

  /** An alert raised by the evaluation (as the monitoring cycle raises it): its AlertRaised event. */
  async function raiseAlert(tenant = ACME) {
    const pipeline = service.app.get(CommandPipeline);
    const context = systemContext(tenant, 'monitoring-cycle');
    const resourceId = `db-${randomUUID()}`;
    const alertId = alertIdOf(
      tenant,
      'postgresql-log-connections-enabled',
      resourceId,
      new Date().toISOString(),
    );
    const { events } = await pipeline.run(service.app.get(MonitoringAggregates).alert, context, {
      type: 'RaiseAlert',
      alertId,
      testId: 'postgresql-log-connections-enabled',
      resourceType: 'postgresql.server',
      resourceId,
      severity: 'high',
      controlIds: [randomUUID()],
      runId: randomUUID(),
      details: { logConnections: false },
      at: new Date().toISOString(),
      actor: context.actor,
    });
    return { alertId, eventId: events[0].eventId };
  }

  async function deliveries(endpointId: string, status?: string, user: TestUser = USERS.admin) {
    const query = status ? `&status=${status}` : '';
    const res = await service
      .as(user)
      .get(`/webhook-deliveries?endpointId=${endpointId}${query}`)
      .expect(200);
    return res.body.items as { deliveryId: string; eventId: string; eventType: string; status: string }[];
  }

  /** Waits until the endpoint has exactly `count` deliveries in `status`; returns them. */
  function settled(endpointId: string, status: string, count: number) {
    return waitFor(`${count} ${status} deliveries`, async () => {
      const rows = await deliveries(endpointId, status);
      return rows.length === count ? rows : null;
    });
  }

  const delivery = async (id: string) =>
    (await service.as(USERS.admin).get(`/webhook-deliveries/${id}`).expect(200)).body;

  it('delivers an alert signed as Standard Webhooks: the CloudEvent of its event, under the delivery id', async () => {
    const r = await receiver();
    const registered = await register(r, { description: 'On-call bridge' });
    const endpointId = registered.body.endpointId as string;
    expect(registered.body).toMatchObject({
      url: r.url,
      eventTypes: [...DEFAULT_WEBHOOK_EVENT_TYPES],
      description: 'On-call bridge',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(registered.headers.location).toBe(`/v1/webhook-endpoints/${endpointId}`);
    // The secret is shown once: never in a later answer, nor in any event.
    const shown = await service.as(USERS.admin).get(`/webhook-endpoints/${endpointId}`).expect(200);
    expect(shown.body).not.toHaveProperty('secret');
    const leaked = await db.pool.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE data::text LIKE $1`,
      [`%${registered.body.secret.slice(6, 30)}%`],
    );
    expect(leaked.rows[0].n).toBe(0);

    const { alertId, eventId } = await raiseAlert();
    const [got] = await waitFor('the alert at the receiver', () =>
      r.delivered().length ? r.delivered() : null,
    );
    expect(got.event).toMatchObject({
      specversion: '1.0',
      id: eventId,
      type: 'io.attest.monitoring.alert-raised.v1',
      source: '/attest/monitoring',
      tenantid: ACME,
      data: { alertId, testId: 'postgresql-log-connections-enabled', severity: 'high' },
    });
    expect(Number(got.timestamp)).toBeCloseTo(Date.now() / 1000, -2);
    // The body is the event as published: its place in the tenant's hash chain checks out as on Kafka.
    const event = got.event as CloudEvent;
    expect(chainHash(event.attestprevhash, chainedFormOfCloudEvent(event))).toBe(event.attesthash);

    const [queued] = await settled(endpointId, 'delivered', 1);
    expect(queued).toMatchObject({ eventId, eventType: 'AlertRaised', status: 'delivered' });
    expect(got.id).toBe(queued.deliveryId);
    const detail = await delivery(queued.deliveryId);
    expect(detail.attempts).toEqual([
      { attempt: 1, at: expect.any(String), statusCode: 204, durationMs: expect.any(Number) },
    ]);
    expect(r.received).toHaveLength(1);
  });

  it('retries a failing receiver with growing waits, dead-letters after the last try, and redelivers the same message once it is fixed: nothing lost', async () => {
    const r = await receiver();
    const endpointId = (await register(r)).body.endpointId as string;
    r.answerWith(500);
    const first = await raiseAlert();
    const second = await raiseAlert();
    await service
      .as(USERS.admin)
      .post(`/alerts/${first.alertId}/acknowledgement`)
      .send({ note: 'Looking into it.' })
      .expect(200);

    const dead = await settled(endpointId, 'dead-lettered', 3);
    expect(dead.map((d) => d.eventType).sort()).toEqual(['AlertAcknowledged', 'AlertRaised', 'AlertRaised']);
    for (const { deliveryId } of dead) {
      const detail = await delivery(deliveryId);
      expect(detail).toMatchObject({
        status: 'dead-lettered',
        attemptCount: 3,
        deadLetterReason: '3 tries failed; the last: HTTP 500',
      });
      expect(detail.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500]);
      // Each retry waited at least its scheduled delay less the jitter (20%), and the waits grow.
      const at = detail.attempts.map((a: { at: string }) => Date.parse(a.at));
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0] * 0.8 - 5);
      expect(at[2] - at[1]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1] * 0.8 - 5);
      // Every try carried the same webhook-id, and the receiver verified each one.
      const tries = r.received.filter((got) => got.id === deliveryId);
      expect(tries.map((got) => [got.status, got.event !== null])).toEqual([
        [500, true],
        [500, true],
        [500, true],
      ]);
    }
    expect(r.delivered()).toEqual([]);

    r.answerWith(200);
    for (const { deliveryId } of dead) {
      const res = await service
        .as(USERS.admin)
        .post(`/webhook-deliveries/${deliveryId}/redelivery`)
        .expect(200);
      expect(res.body.deliveryId).toBe(deliveryId);
      expect(res.body.attempts).toHaveLength(3);
    }
    await settled(endpointId, 'delivered', 3);

    // Every alert event recorded since the endpoint registered reached it exactly once, under its delivery's id.
    const recorded = await db.pool.query<{ event_id: string }>(
      `SELECT event_id FROM event_store.events
       WHERE tenant_id = $1 AND event_type = ANY ($2)
         AND global_position > (SELECT global_position FROM event_store.events WHERE stream_id = $3)`,
      [ACME, [...DEFAULT_WEBHOOK_EVENT_TYPES], endpointId],
    );
    const delivered = r.delivered();
    expect(delivered.map((got) => got.event?.id).sort()).toEqual(recorded.rows.map((e) => e.event_id).sort());
    expect(new Set(delivered.map((got) => got.id))).toEqual(new Set(dead.map((d) => d.deliveryId)));
    expect(delivered.map((got) => got.event?.id)).toEqual(
      expect.arrayContaining([first.eventId, second.eventId]),
    );
    // A person's name leaves sealed, as on Kafka: the receiver is a third party.
    const acknowledged = delivered.find(
      (got) => got.event?.type === 'io.attest.monitoring.alert-acknowledged.v1',
    );
    const { actor } = acknowledged?.event?.data as { actor: { id: string; displayName: string } };
    expect(actor.displayName).toMatch(SEALED_TOKEN_PATTERN);
    const detail = await delivery(dead[0].deliveryId);
    expect(detail.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 200]);
  });

  it('dead-letters a delivery nobody answers, with the network error as its reason', async () => {
    const r = await receiver();
    const endpointId = (await register(r)).body.endpointId as string;
    await r.close();
    await raiseAlert();
    const [dead] = await settled(endpointId, 'dead-lettered', 1);
    const detail = await delivery(dead.deliveryId);
    expect(detail.deadLetterReason).toMatch(/^3 tries failed; the last: .*ECONNREFUSED/);
    expect(
      detail.attempts.every((a: { statusCode?: number; error?: string }) => !a.statusCode && a.error),
    ).toBe(true);
  });

  it('sends an endpoint only the event types it chose, and only events recorded after it registered', async () => {
    const before = await raiseAlert();
    const all = await receiver();
    const acknowledgements = await receiver();
    await register(all);
    await register(acknowledgements, { eventTypes: ['AlertAcknowledged'] });

    await service.as(USERS.admin).post(`/alerts/${before.alertId}/acknowledgement`).send({}).expect(200);
    const after = await raiseAlert();
    await waitFor('both events at the default endpoint', () => all.delivered().length === 2);
    await waitFor('the acknowledgement at the other', () => acknowledgements.delivered().length === 1);
    expect(all.delivered().map((got) => got.event?.type)).toEqual(
      expect.arrayContaining([
        'io.attest.monitoring.alert-acknowledged.v1',
        'io.attest.monitoring.alert-raised.v1',
      ]),
    );
    expect(all.delivered().map((got) => got.event?.data)).toContainEqual(
      expect.objectContaining({ alertId: after.alertId }),
    );
    expect(acknowledgements.delivered().map((got) => got.event?.type)).toEqual([
      'io.attest.monitoring.alert-acknowledged.v1',
    ]);
    expect(all.received.some((got) => got.event?.id === before.eventId)).toBe(false);
  });

  it('stops sending to a removed endpoint and refuses to redeliver to it', async () => {
    const r = await receiver();
    const endpointId = (await register(r)).body.endpointId as string;
    await raiseAlert();
    const [sent] = await settled(endpointId, 'delivered', 1);

    const stale = await service
      .as(USERS.admin)
      .delete(`/webhook-endpoints/${endpointId}`)
      .set('If-Match', '"9"');
    expect(stale.status).toBe(412);
    const removed = await service
      .as(USERS.admin)
      .delete(`/webhook-endpoints/${endpointId}`)
      .set('If-Match', '"1"')
      .expect(200);
    expect(removed.body).toMatchObject({ endpointId, removedAt: expect.any(String), version: 2 });
    const gone = await service.as(USERS.admin).get(`/webhook-endpoints/${endpointId}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'webhook-endpoint-not-found']);
    await service.as(USERS.admin).delete(`/webhook-endpoints/${endpointId}`).expect(404);
    const listed = await service.as(USERS.admin).get('/webhook-endpoints').expect(200);
    expect(listed.body.items.map((e: { endpointId: string }) => e.endpointId)).not.toContain(endpointId);

    await raiseAlert();
    const redelivery = await service
      .as(USERS.admin)
      .post(`/webhook-deliveries/${sent.deliveryId}/redelivery`);
    expect([redelivery.status, redelivery.body.code]).toEqual([409, 'webhook-endpoint-removed']);
    expect(await deliveries(endpointId)).toHaveLength(1);
    expect(r.received).toHaveLength(1);
  });

  it('dead-letters what was still pending for an endpoint when it is removed, and sends it nothing more', async () => {
    const r = await receiver();
    const endpointId = (await register(r)).body.endpointId as string;
    const own = service.app.get(WebhookDeliveryWorker);
    await own.onModuleDestroy();
    try {
      await raiseAlert();
      await settled(endpointId, 'pending', 1);
      await service.as(USERS.admin).delete(`/webhook-endpoints/${endpointId}`).expect(200);
      const [dead] = await settled(endpointId, 'dead-lettered', 1);
      expect(await delivery(dead.deliveryId)).toMatchObject({
        deadLetterReason: 'endpoint removed',
        attempts: [],
      });
    } finally {
      own.onApplicationBootstrap();
    }
    await raiseAlert();
    await own.deliverDue();
    expect(r.received).toEqual([]);
    expect(await deliveries(endpointId)).toHaveLength(1);
  });

  it('rotates the secret: both sign for a grace period, so the receiver switches without refusing a delivery', async () => {
    const r = await receiver();
    const registered = await register(r);
    const endpointId = registered.body.endpointId as string;
    const old = registered.body.secret as string;
    const rotation = await service
      .as(USERS.admin)
      .post(`/webhook-endpoints/${endpointId}/secret-rotation`)
      .set('Idempotency-Key', randomUUID())
      .expect(200);
    const fresh = rotation.body.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotation.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    r.useSecret(fresh);
    await raiseAlert();
    const [got] = await waitFor('the alert', () => (r.delivered().length ? r.delivered() : null));
    const headers = {
      'webhook-id': got.id,
      'webhook-timestamp': got.timestamp,
      'webhook-signature': got.signature,
    };
    expect(got.signature.split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(got.body, headers)).toEqual(got.event);

    // Past the grace period only the new secret signs.
    await db.pool.query(
      `UPDATE monitoring_inputs.webhook_secrets SET previous_valid_until = now() - interval '1 second'
       WHERE endpoint_id = $1`,
      [endpointId],
    );
    await raiseAlert();
    const [, next] = await waitFor('the next alert', () =>
      r.delivered().length === 2 ? r.delivered() : null,
    );
    expect(next.signature.split(' ')).toHaveLength(1);
    const nextHeaders = {
      'webhook-id': next.id,
      'webhook-timestamp': next.timestamp,
      'webhook-signature': next.signature,
    };
    expect(() => new Webhook(old).verify(next.body, nextHeaders)).toThrow();

    await service.as(USERS.admin).delete(`/webhook-endpoints/${endpointId}`).expect(200);
    const removed = await service.as(USERS.admin).post(`/webhook-endpoints/${endpointId}/secret-rotation`);
    expect([removed.status, removed.body.code]).toEqual([404, 'webhook-endpoint-not-found']);
  });

  it('refuses endpoints that would reach elsewhere, callers without webhooks:manage, and other tenants', async () => {
    const plain = await service
      .as(USERS.admin)
      .post('/webhook-endpoints')
      .send({ url: 'http://example.com/hook' });
    expect([plain.status, plain.body.code]).toEqual([422, 'invalid-webhook-url']);
    const credentials = await service
      .as(USERS.admin)
      .post('/webhook-endpoints')
      .send({ url: 'https://user:pass@hooks.example.com/' });
    expect([credentials.status, credentials.body.code]).toEqual([422, 'invalid-webhook-url']);
    const unknownType = await service
      .as(USERS.admin)
      .post('/webhook-endpoints')
      .send({ url: 'https://hooks.example.com/', eventTypes: ['EvidenceSubmitted'] });
    expect(unknownType.status).toBe(400);
    // A refused registration keeps no secret behind.
    const secrets = await db.pool.query('SELECT count(*)::int AS n FROM monitoring_inputs.webhook_secrets');
    const endpoints = await db.pool.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE event_type = 'WebhookEndpointRegistered'`,
    );
    expect(secrets.rows[0].n).toBe(endpoints.rows[0].n);

    const r = await receiver();
    await service.as(USERS.auditor).post('/webhook-endpoints').send({ url: r.url }).expect(403);
    await service.as(USERS.auditor).get('/webhook-deliveries').expect(403);

    const endpointId = (await register(r)).body.endpointId as string;
    await raiseAlert();
    const [sent] = await settled(endpointId, 'delivered', 1);
    const elsewhere = await service.as(USERS.globexAdmin).get(`/webhook-deliveries/${sent.deliveryId}`);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'webhook-delivery-not-found']);
    const redelivery = await service
      .as(USERS.globexAdmin)
      .post(`/webhook-deliveries/${sent.deliveryId}/redelivery`);
    expect(redelivery.status).toBe(404);
    const theirs = await service.as(USERS.globexAdmin).get('/webhook-deliveries').expect(200);
    expect(theirs.body.items).toEqual([]);
    await service.as(USERS.globexAdmin).get(`/webhook-endpoints/${endpointId}`).expect(404);
    // A GLOBEX alert goes to no ACME endpoint.
    const before = r.received.length;
    await raiseAlert(GLOBEX);
    await raiseAlert();
    await waitFor('the next ACME alert', () => r.received.length === before + 1);
    expect(r.received.map((got) => got.event?.tenantid)).toEqual(r.received.map(() => ACME));
  });

  it('never sends one try twice when several workers share the queue, and a replay of the log queues nothing again', async () => {
    const r = await receiver();
    const endpointId = (await register(r, {}, USERS.globexAdmin)).body.endpointId as string;
    const globexDeliveries = (status: string) => deliveries(endpointId, status, USERS.globexAdmin);
    // The app's worker rests while the queue fills, then four workers (as four instances of the service would
    // run) claim from it at the same moment, and go on until it is empty.
    const own = service.app.get(WebhookDeliveryWorker);
    await own.onModuleDestroy();
    try {
      const alerts = await Promise.all(Array.from({ length: 40 }, () => raiseAlert(GLOBEX)));
      await waitFor('40 queued deliveries', async () => (await globexDeliveries('pending')).length === 40);
      const options = service.app.get<ResolvedOptions>(MONITORING_OPTIONS);
      const workers = Array.from({ length: 4 }, () => new WebhookDeliveryWorker(options));
      await waitFor('every alert delivered', async () => {
        await Promise.all(workers.map((w) => w.deliverDue()));
        return (await globexDeliveries('delivered')).length === alerts.length;
      });
      expect(r.received).toHaveLength(alerts.length);
      expect(new Set(r.received.map((got) => got.id)).size).toBe(alerts.length);
    } finally {
      own.onApplicationBootstrap();
    }

    const queued = await db.pool.query('SELECT count(*)::int AS n FROM monitoring_inputs.webhook_deliveries');
    await service.app.get(WebhookDispatcher).runner.rebuild();
    const after = await db.pool.query('SELECT count(*)::int AS n FROM monitoring_inputs.webhook_deliveries');
    expect(after.rows[0].n).toBe(queued.rows[0].n);
    expect(await globexDeliveries('pending')).toEqual([]);
  });
});
