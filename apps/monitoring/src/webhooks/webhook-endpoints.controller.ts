import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { webhookEndpointNotFound } from '@attest/monitoring-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import { MonitoringReadModel } from '../read-model/monitoring-read-model';
import { endpointSortKey, isEndpointSortKey, type WebhookEndpointView } from '../read-model/monitoring-views';
import { WebhookDispatcher } from './webhook-dispatcher';
import {
  REGISTERED_WEBHOOK_ENDPOINT_SCHEMA,
  SECRET_ROTATION_SCHEMA,
  WEBHOOK_ENDPOINT_SCHEMA,
} from './webhook-schemas';
import {
  deleteWebhookSecret,
  newWebhookSecret,
  rotateWebhookSecret,
  saveWebhookSecret,
} from './webhook-secrets';
import { NewWebhookEndpointDto } from './webhooks.dto';

/**
 * Where the tenant's monitoring events are delivered as Standard Webhooks: each endpoint gets a signing secret,
 * shown once, and the event types it asked for (by default the alert lifecycle).
 */
@ApiTags('webhooks')
@Controller('webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly readModel: MonitoringReadModel,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(MONITORING_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('webhooks:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Register an endpoint: the answer carries its signing secret, the only time it is shown.',
    description:
      'Every event of the chosen types (default: AlertRaised, AlertAcknowledged, AlertSnoozed, AlertResolved) ' +
      'recorded from now on is POSTed to the URL as a CloudEvent (JSON), signed as the Standard Webhooks ' +
      'specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`, HMAC-SHA256 with the secret). ' +
      'Only a 2xx answer within 10 s delivers; otherwise it is retried with growing waits, then dead-lettered ' +
      '(see /v1/webhook-deliveries). The URL is https, or http to a loopback host; redirects are not followed. ' +
      'A repeat with the same Idempotency-Key gets the first answer, secret included.',
  })
  @ApiCreatedResponse({ schema: REGISTERED_WEBHOOK_ENDPOINT_SCHEMA })
  @ApiDomainErrors('invalid-webhook-url', 'unknown-webhook-event-type', 'text-too-long')
  async register(
    @CommandContextOf() context: CommandContext,
    @Body() body: NewWebhookEndpointDto,
  ): Promise<Representation<WebhookEndpointView & { secret: string }>> {
    const { tenantId } = context;
    const endpointId = randomUUID();
    const secret = newWebhookSecret();
    // The secret is kept before the endpoint exists: a delivery is never queued for an endpoint without one.
    await saveWebhookSecret(this.options.pool, tenantId, endpointId, secret);
    let version: number;
    try {
      ({ version } = await this.pipeline.run(this.aggregates.webhookEndpoint, context, {
        type: 'RegisterWebhookEndpoint',
        endpointId,
        url: body.url,
        ...(body.eventTypes === undefined ? {} : { eventTypes: body.eventTypes }),
        ...(body.description === undefined ? {} : { description: body.description }),
        at: this.clock.now().toISOString(),
        actor: context.actor,
      }));
    } catch (error) {
      await deleteWebhookSecret(this.options.pool, tenantId, endpointId);
      throw error;
    }
    // Subscribed from this answer on: an event recorded after it goes to the endpoint.
    await this.dispatcher.catchUp();
    const endpoint = await this.endpointOf(tenantId, endpointId);
    return created({ ...endpoint, secret }, apiPath('webhook-endpoints', endpointId), version);
  }

  @Get()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: "The tenant's endpoints (not removed), oldest registered first. Secrets are never shown.",
  })
  @ApiPageResponse(WEBHOOK_ENDPOINT_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<WebhookEndpointView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isEndpointSortKey);
    const rows = await this.readModel.webhookEndpoints(tenant, { after, limit: query.limit + 1 });
    return pageOf(rows, query.limit, endpointSortKey, request);
  }

  @Get(':id')
  @RequirePermission('webhooks:manage')
  @ApiEntityTag()
  @ApiOkResponse({ schema: WEBHOOK_ENDPOINT_SCHEMA })
  @ApiDomainErrors('webhook-endpoint-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<Representation<WebhookEndpointView>> {
    const endpoint = await this.endpointOf(tenant, params.id);
    return withEntityTag(endpoint, endpoint.version);
  }

  @Delete(':id')
  @RequirePermission('webhooks:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Remove the endpoint: nothing more is sent to it, and its pending deliveries are dead-lettered.',
    description:
      'The answer shows it with `removedAt`; from then on it is not found (its deliveries stay listed, and are ' +
      'not redelivered).',
  })
  @ApiOkResponse({ schema: WEBHOOK_ENDPOINT_SCHEMA })
  @ApiDomainErrors('webhook-endpoint-not-found')
  async remove(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<WebhookEndpointView>> {
    await this.endpointOf(context.tenantId, params.id);
    const { version } = await this.pipeline.run(
      this.aggregates.webhookEndpoint,
      context,
      {
        type: 'RemoveWebhookEndpoint',
        endpointId: params.id,
        at: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    await this.dispatcher.catchUp();
    // The answer shows it as removed (it is not found from now on).
    const removed = await this.readModel.webhookEndpoint(context.tenantId, params.id);
    if (!removed) throw webhookEndpointNotFound(params.id);
    return withEntityTag(removed, version);
  }

  @Post(':id/secret-rotation')
  @HttpCode(200)
  @RequirePermission('webhooks:manage')
  @Idempotent()
  @ApiOperation({
    summary: 'Rotate the signing secret: the answer carries the new one, the only time it is shown.',
    description:
      'For 24 hours after, every delivery is signed with both secrets (`webhook-signature` lists two ' +
      'signatures; a receiver accepts the message when one verifies), so the receiver can switch to the new ' +
      'secret without refusing a delivery; then only the new one signs. A repeat with the same Idempotency-Key ' +
      'gets the first answer and rotates nothing again.',
  })
  @ApiOkResponse({ schema: SECRET_ROTATION_SCHEMA })
  @ApiDomainErrors('webhook-endpoint-not-found')
  async rotateSecret(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<{ endpointId: string; secret: string; previousSecretValidUntil: string }> {
    await this.endpointOf(tenant, params.id);
    const secret = newWebhookSecret();
    const until = await rotateWebhookSecret(this.options.pool, tenant, params.id, secret);
    if (!until) throw webhookEndpointNotFound(params.id);
    return { endpointId: params.id, secret, previousSecretValidUntil: until.toISOString() };
  }

  /** The tenant's endpoint; a removed one is gone: not found, like one that never was. */
  private async endpointOf(tenantId: string, endpointId: string): Promise<WebhookEndpointView> {
    const endpoint = await this.readModel.webhookEndpoint(tenantId, endpointId);
    if (!endpoint || endpoint.removedAt !== undefined) throw webhookEndpointNotFound(endpointId);
    return endpoint;
  }
}
