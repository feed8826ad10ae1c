import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import {
  RESOLUTIONS,
  TASK_STATUSES,
  type Resolution,
  type TaskStatus,
  type TaskStatusChangeTarget,
} from '@attest/readiness-domain';
import {
  ClosedDto,
  Omittable,
  OptionalNestedField,
  OptionalNestedListField,
  OptionalTextField,
  OptionalUuidListField,
  PageQueryDto,
  PersonRefDto,
} from '@attest/service-kit';
import { EvidenceReferenceDto, OptionalCalendarDayField } from './common.dto';

const CHANGE_TARGETS = ['open', 'in-progress', 'blocked', 'cancelled'] as const;

export class ListRemediationTasksQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the tasks of this assessment.' })
  @Omittable()
  @IsUUID('all')
  assessmentId?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @Omittable()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}

@ClosedDto({
  description: 'At least one of status, owner and dueDate.',
  anyOf: [{ required: ['status'] }, { required: ['owner'] }, { required: ['dueDate'] }],
})
export class UpdateRemediationTaskDto {
  @ApiPropertyOptional({
    enum: CHANGE_TARGETS,
    description: 'The new status (done is reached by POST /remediation-tasks/{id}/complete).',
  })
  @Omittable()
  @IsIn(CHANGE_TARGETS)
  status?: TaskStatusChangeTarget;

  @OptionalTextField(4000, {
    description:
      'Why; required when the status changes to blocked or cancelled (refused with 422 otherwise).',
  })
  reason?: string;

  @OptionalNestedField(PersonRefDto)
  owner?: PersonRefDto;

  @OptionalCalendarDayField()
  dueDate?: string;
}

@ClosedDto({
  description: 'A risk-accepted resolution names the accepted risk (riskId).',
  anyOf: [{ properties: { resolution: { not: { enum: ['risk-accepted'] } } } }, { required: ['riskId'] }],
})
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
    description:
      'The accepted risk (accepted by an approver, not expired); required when resolution is risk-accepted.',
  })
  @Omittable()
  @IsUUID('all')
  riskId?: string;

  @OptionalNestedListField(EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}
