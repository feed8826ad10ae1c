import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  ClosedDto,
  DateField,
  NotBlankTextField,
  OptionalTextField,
  PageQueryDto,
} from '@attest/service-kit';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '../read-model/monitoring-views';
import { TestIdField } from './tests.dto';

/** A failing resource accepted as an exception: the approver is the caller. */
@ClosedDto()
export class NewExceptionDto {
  @TestIdField({ example: 'postgresql-log-connections-enabled' })
  testId!: string;

  @NotBlankTextField(1000, {
    description: 'The resource as the collector names it.',
    example: 'postgresql://db.internal:5432',
  })
  resourceId!: string;

  @NotBlankTextField(2000, { example: 'Legacy replica, decommissioned in Q3; no customer data.' })
  reason!: string;

  @DateField({
    description: 'The last day the exception holds: after today, at most 12 months ahead.',
    example: '2026-09-30',
  })
  expiresOn!: string;
}

export class ExceptionsQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: EXCEPTION_STATUSES,
    description: 'Only exceptions in force (their expiry not yet recorded), or only expired ones.',
  })
  @IsOptional()
  @IsIn(EXCEPTION_STATUSES)
  status?: ExceptionStatus;

  @TestIdField({ optional: true, description: 'Only exceptions to this test.' })
  testId?: string;

  @OptionalTextField(1000, { description: 'Only exceptions for this resource.' })
  resourceId?: string;
}
