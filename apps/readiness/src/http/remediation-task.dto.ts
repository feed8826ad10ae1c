import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  RESOLUTIONS,
  TASK_STATUSES,
  type Resolution,
  type TaskStatus,
  type TaskStatusChangeTarget,
} from '@attest/readiness-domain';
import { EvidenceReferenceDto, IsCalendarDay, PersonRefDto } from './common.dto';

const CHANGE_TARGETS = ['open', 'in-progress', 'blocked', 'cancelled'] as const;

export class ListRemediationTasksQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the tasks of this assessment.' })
  @IsOptional()
  @IsUUID('all')
  assessmentId?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}

export class UpdateRemediationTaskDto {
  @ApiPropertyOptional({
    enum: CHANGE_TARGETS,
    description: 'The new status (done is reached by POST /remediation-tasks/{id}/complete).',
  })
  @IsOptional()
  @IsIn(CHANGE_TARGETS)
  status?: TaskStatusChangeTarget;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 4000,
    description: 'Why; required to block or cancel a task.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  reason?: string;

  @ApiPropertyOptional({ type: PersonRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonRefDto)
  owner?: PersonRefDto;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDay()
  dueDate?: string;
}

export class CompleteRemediationTaskDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution!: Resolution;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  resolutionNotes?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The controls that now cover the gaps.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  controlIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The accepted risk; required when resolution is risk-accepted.',
  })
  @IsOptional()
  @IsUUID('all')
  riskId?: string;

  @ApiPropertyOptional({ type: [EvidenceReferenceDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}
