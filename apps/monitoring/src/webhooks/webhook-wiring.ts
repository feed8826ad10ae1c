import type { Provider, Type } from '@nestjs/common';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveryWorker } from './webhook-delivery-worker';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsController } from './webhook-endpoints.controller';

export { WEBHOOK_REFUSALS } from './webhook-deliveries';

/**
 * Alert webhooks: the dispatcher (queues a delivery per event and subscribed endpoint), the delivery worker (signs,
 * sends, retries, dead-letters) and the deliveries' queries; the endpoints' routes (their views are the read
 * model's) and the deliveries' routes with redelivery. The service answers WEBHOOK_REFUSALS too.
 */
export const WEBHOOK_PROVIDERS: Provider[] = [WebhookDeliveryWorker, WebhookDispatcher, WebhookDeliveries];
export const WEBHOOK_CONTROLLERS: Type<unknown>[] = [WebhookEndpointsController, WebhookDeliveriesController];
