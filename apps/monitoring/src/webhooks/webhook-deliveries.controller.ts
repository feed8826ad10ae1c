import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiDomainErrors,
  ApiPageResponse,
  decodeCursor,
  pageOf,
  RequirePermission,
  Tenant,
  UuidParams,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import {
  deliverySortKey,
  isDeliverySortKey,
  WebhookDeliveries,
  type WebhookDeliveryDetailView,
  type WebhookDeliveryView,
} from './webhook-deliveries';
import { WEBHOOK_DELIVERY_DETAIL_SCHEMA, WEBHOOK_DELIVERY_SCHEMA } from './webhook-schemas';
import { WebhookDeliveriesQuery } from './webhooks.dto';

/** What was sent to the tenant's endpoints, every try, and redelivery of what failed (or has to be sent again). */
@ApiTags('webhooks')
@Controller('webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  @Get()
  @RequirePermission('webhooks:manage')
  @ApiOperation({ summary: "The tenant's deliveries, newest queued first; filters combine." })
  @ApiPageResponse(WEBHOOK_DELIVERY_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: WebhookDeliveriesQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<WebhookDeliveryView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isDeliverySortKey);
    const rows = await this.deliveries.list(tenant, filter, { after, limit: limit + 1 });
    const page = pageOf(rows, limit, deliverySortKey, request);
    // The sequence is the cursor's business only.
    return { ...page, items: page.items.map(({ sequence: _sequence, ...view }) => view) };
  }

  @Get(':id')
  @RequirePermission('webhooks:manage')
  @ApiOkResponse({ schema: WEBHOOK_DELIVERY_DETAIL_SCHEMA })
  @ApiDomainErrors('webhook-delivery-not-found')
  get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<WebhookDeliveryDetailView> {
    return this.deliveries.get(tenant, params.id);
  }

  @Post(':id/redelivery')
  @HttpCode(200)
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Send a delivered or dead-lettered delivery again, now, with the same `webhook-id`.',
    description:
      'The delivery is pending again and goes through the retry schedule from the start; its earlier tries stay ' +
      'in its history. A pending delivery is refused (409 `webhook-delivery-pending`), as is one whose endpoint ' +
      'was removed (409 `webhook-endpoint-removed`).',
  })
  @ApiOkResponse({ schema: WEBHOOK_DELIVERY_DETAIL_SCHEMA })
  @ApiDomainErrors('webhook-delivery-not-found', 'webhook-delivery-pending', 'webhook-endpoint-removed')
  redeliver(@Tenant() tenant: string, @Param() params: UuidParams): Promise<WebhookDeliveryDetailView> {
    return this.deliveries.redeliver(tenant, params.id);
  }
}
