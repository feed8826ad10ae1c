import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@attest/monitoring-domain';
import { ClosedDto, OptionalTextField, OptionalUuidField, PageQueryDto } from '@attest/service-kit';
import { DELIVERY_STATUSES, type DeliveryStatus } from './webhook-deliveries';

@ClosedDto()
export class NewWebhookEndpointDto {
  @ApiProperty({
    type: 'string',
    format: 'uri',
    maxLength: 2000,
    description:
      'Where deliveries are POSTed: https, or http to a loopback host (a receiver on the same machine).',
    example: 'https://hooks.example.com/attest',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    minItems: 1,
    uniqueItems: true,
    description:
      'The monitoring events it receives; default the alert lifecycle (raised, acknowledged, snoozed, resolved).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes?: WebhookEventType[];

  @OptionalTextField(500, { example: 'On-call pager bridge' })
  description?: string;
}

export class WebhookDeliveriesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @OptionalUuidField({ description: "Only this endpoint's deliveries." })
  endpointId?: string;
}
