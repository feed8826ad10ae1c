import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { SEVERITIES, type Severity } from '@attest/monitoring-domain';
import { ClosedDto, NotBlankTextField, OptionalTextField, PageQueryDto } from '@attest/service-kit';
import { ALERT_STATUSES, type AlertStatus } from '../read-model/monitoring-views';
import { TestIdField } from './tests.dto';

export class AlertsQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ALERT_STATUSES,
    description: 'Only alerts in this status now (a snooze that ran out is open or acknowledged again).',
  })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @TestIdField({ optional: true, description: "Only this test's alerts." })
  testId?: string;

  @OptionalTextField(1000, { description: "Only this resource's alerts." })
  resourceId?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;
}

@ClosedDto()
export class AcknowledgementDto {
  @OptionalTextField(2000, { example: 'Looking into it; the replica is being rebuilt.' })
  note?: string;
}

/** An RFC 3339 instant (what JSON Schema's `date-time` is) that JavaScript's Date reads as one. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:[0-5]\d(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && INSTANT.test(value) && Number.isFinite(Date.parse(value.toUpperCase())),
      defaultMessage: () => '$property must be an instant (RFC 3339 date-time)',
    },
  });
}

@ClosedDto()
export class SnoozeDto {
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    pattern: INSTANT.source,
    description: 'Until when the alert is quiet: in the future, at most 30 days ahead.',
    example: '2026-05-11T09:00:00Z',
  })
  @IsInstant()
  until!: string;

  @NotBlankTextField(2000, { example: 'Maintenance window this week.' })
  reason!: string;
}
