import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  RESOLUTIONS,
  TASK_STATUSES,
  type Resolution,
  type TaskStatus,
  type TaskStatusChangeTarget,
} from '@attest/readiness-domain';
import {
  OptionalNestedField,
  OptionalNestedListField,
  OptionalTextField,
  OptionalUuidListField,
  PersonRefDto,
} from '@attest/service-kit';
import { EvidenceReferenceDto, IsCalendarDay } from './common.dto';

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

  @OptionalTextField(4000, { description: 'Why; required to block or cancel a task.' })
  reason?: string;

  @OptionalNestedField(PersonRefDto)
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

  @OptionalTextField(4000)
  resolutionNotes?: string;

  @OptionalUuidListField({ description: 'The controls that now cover the gaps.' })
  controlIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The accepted risk; required when resolution is risk-accepted.',
  })
  @IsOptional()
  @IsUUID('all')
  riskId?: string;

  @OptionalNestedListField(EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}
