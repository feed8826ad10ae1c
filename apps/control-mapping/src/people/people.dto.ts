import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches, MaxLength, ValidateBy } from 'class-validator';
import { EMPLOYMENT_TYPES, type EmploymentType } from '@attest/control-mapping-domain';
import {
  ClosedDto,
  EMAIL_ADDRESS,
  isEmailAddress,
  Omittable,
  OptionalTextField,
  PageQueryDto,
} from '@attest/service-kit';
import { DateField, NotBlankTextField, OptionalUuidField } from '../http/dto/common.dto';
import type { PersonStatus } from './people-read-model';

const EMPLOYEE_NUMBER = /^\S{1,64}$/;
const PERSON_STATUSES: readonly PersonStatus[] = ['active', 'left'];
const OBLIGATION_STATUSES = ['pending', 'overdue', 'satisfied'] as const;

@ClosedDto()
export class AddPersonDto {
  @ApiPropertyOptional({
    pattern: EMPLOYEE_NUMBER.source,
    maxLength: 64,
    description: 'Their number in the HR system; unique in the organization.',
    example: 'E-1042',
  })
  @Omittable()
  @Matches(EMPLOYEE_NUMBER, { message: 'employeeNumber must be 1 to 64 characters without spaces' })
  employeeNumber?: string;

  @NotBlankTextField(200, { example: 'Ana Ortiz' })
  displayName!: string;

  @ApiProperty({
    format: 'email',
    pattern: EMAIL_ADDRESS.source,
    maxLength: 320,
    description: 'Work e-mail address; unique in the organization (stored lowercase).',
    example: 'ana.ortiz@lumen.example',
  })
  @ValidateBy({
    name: 'isEmailAddress',
    validator: { validate: isEmailAddress, defaultMessage: () => '$property must be an e-mail address' },
  })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: EMPLOYMENT_TYPES })
  @IsIn(EMPLOYMENT_TYPES)
  employmentType!: EmploymentType;

  @DateField({ description: 'First working day.', example: '2026-03-02' })
  startDate!: string;

  @OptionalUuidField({ description: 'Their manager, a person of the directory.' })
  managerPersonId?: string;

  @NotBlankTextField(200, {
    description: 'Their role; policy audiences select people by it.',
    example: 'Engineer',
  })
  role!: string;

  @NotBlankTextField(200, {
    description: 'Their department; policy audiences select people by it.',
    example: 'Engineering',
  })
  department!: string;

  @OptionalTextField(200, {
    description:
      "Their user id at the identity provider (the access token's `sub`), linking their policy acceptances to " +
      'this record.',
  })
  subjectId?: string;
}

@ClosedDto()
export class RecordDepartureDto {
  @DateField({ description: 'Their last working day; never before their start date.', example: '2026-06-30' })
  endDate!: string;

  @OptionalTextField(1000, { description: 'Why they leave (no personal details).', example: 'Resignation' })
  reason?: string;
}

export class PeopleQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: PERSON_STATUSES, description: 'Active, or left (their end date has come).' })
  @Omittable()
  @IsIn(PERSON_STATUSES)
  status?: PersonStatus;
}

export class AcceptanceObligationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: OBLIGATION_STATUSES })
  @Omittable()
  @IsIn(OBLIGATION_STATUSES)
  status?: (typeof OBLIGATION_STATUSES)[number];

  @OptionalUuidField()
  personId?: string;

  @OptionalUuidField()
  policyId?: string;
}
