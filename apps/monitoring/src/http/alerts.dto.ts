import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
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

@ClosedDto()
export class SnoozeDto {
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    description: 'Until when the alert is quiet: in the future, at most 30 days ahead.',
    example: '2026-05-11T09:00:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  until!: string;

  @NotBlankTextField(2000, { example: 'Maintenance window this week.' })
  reason!: string;
}
