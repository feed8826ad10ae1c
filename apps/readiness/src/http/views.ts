import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANSWERS, CATEGORIES, SEVERITIES, TASK_STATUSES, TREATMENTS } from '@attest/readiness-domain';
import { EvidenceReferenceDto } from './common.dto';
import { PersonRefDto } from '@attest/service-kit';
import { SystemDescriptionDto } from './assessment.dto';

/** Response shapes of the HTTP API, for the OpenAPI document (the controllers return plain objects of these shapes). */

export class ActorView {
  @ApiProperty({ enum: ['user', 'api-client', 'system'] }) type!: string;
  @ApiProperty() id!: string;
  @ApiPropertyOptional() displayName?: string;
}

export class AnswerView {
  @ApiProperty({ enum: ANSWERS }) answer!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) justification!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes!: string | null;
  @ApiPropertyOptional({ nullable: true, type: PersonRefDto }) owner!: PersonRefDto | null;
  @ApiPropertyOptional({ nullable: true, type: [EvidenceReferenceDto] }) evidenceReferences!:
    EvidenceReferenceDto[] | null;
  @ApiProperty({ minimum: 1 }) revision!: number;
  @ApiProperty({ format: 'date-time' }) answeredAt!: string;
  @ApiProperty({ type: ActorView }) answeredBy!: ActorView;
}

export class QuestionView {
  @ApiProperty({ example: 'CC6.2.2' }) ref!: string;
  @ApiProperty({ example: 'CC6.2' }) criterionId!: string;
  @ApiProperty() criterionTitle!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ example: 'CC6' }) series!: string;
  @ApiProperty() heading!: string;
  @ApiProperty() explanation!: string;
  @ApiProperty({ type: [String], description: 'Library controls that address the point of focus.' })
  catalogControlIds!: string[];
  @ApiProperty({
    type: AnswerView,
    nullable: true,
    description: 'The current answer (null: not answered yet).',
  })
  answer!: AnswerView | null;
}

export class ProgressView {
  @ApiProperty() pointsOfFocus!: number;
  @ApiProperty() answered!: number;
}

export class AssessmentSummaryView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['in-progress', 'completed'] }) status!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty({ enum: ['tsc-2017-rev2022'] }) criteriaEdition!: string;
  @ApiProperty() catalogVersion!: string;
  @ApiPropertyOptional({ nullable: true, type: String, enum: ['type-1', 'type-2', 'undecided'] })
  targetReportType!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) targetCompletionDate!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ type: ProgressView }) progress!: ProgressView;
}

export class AssessmentView extends AssessmentSummaryView {
  @ApiProperty({ type: SystemDescriptionDto }) systemDescription!: SystemDescriptionDto;
  @ApiProperty({ type: ActorView }) startedBy!: ActorView;
  @ApiProperty({ type: [QuestionView], description: 'Every point of focus in scope, in catalog order.' })
  questionnaire!: QuestionView[];
}

export class RecordedAnswerView extends AnswerView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty() pointOfFocusRef!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
}

export class CategoryScoreView {
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
}

export class SeriesScoreView {
  @ApiProperty({ example: 'CC6' }) series!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
}

export class ScoresView {
  @ApiProperty({ minimum: 0, maximum: 100 }) overall!: number;
  @ApiProperty({ type: [CategoryScoreView] }) byCategory!: CategoryScoreView[];
  @ApiProperty({ type: [SeriesScoreView] }) bySeries!: SeriesScoreView[];
}

export class SeverityCountsView {
  @ApiProperty() critical!: number;
  @ApiProperty() high!: number;
  @ApiProperty() medium!: number;
  @ApiProperty() low!: number;
}

export class CountsView {
  @ApiProperty() pointsOfFocusInScope!: number;
  @ApiProperty() answered!: number;
  @ApiProperty() implemented!: number;
  @ApiProperty() partiallyImplemented!: number;
  @ApiProperty() notImplemented!: number;
  @ApiProperty() notApplicable!: number;
  @ApiProperty() gaps!: number;
  @ApiProperty({ type: SeverityCountsView }) gapsBySeverity!: SeverityCountsView;
}

export class GapView {
  @ApiProperty({ format: 'uuid' }) gapId!: string;
  @ApiProperty() pointOfFocusRef!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: ['partially-implemented', 'not-implemented'] }) answer!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [String] }) proposedCatalogControlIds!: string[];
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) taskId!: string | null;
}

export class ResultsView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ enum: ['in-progress', 'completed'] }) status!: string;
  @ApiProperty({
    description:
      'False while in progress: unanswered points of focus count as not implemented and gaps are provisional.',
  })
  final!: boolean;
  @ApiProperty() catalogVersion!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty({ type: ScoresView }) scores!: ScoresView;
  @ApiProperty({ type: CountsView }) counts!: CountsView;
  @ApiProperty({ type: [GapView], description: 'In questionnaire order.' }) gaps!: GapView[];
}

export class TaskHistoryEntryView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['created', 'status', 'plan', 'completed'] }) change!: string;
  @ApiPropertyOptional({ enum: TASK_STATUSES }) status?: string;
  @ApiPropertyOptional({ enum: TASK_STATUSES }) from?: string;
  @ApiPropertyOptional() reason?: string;
}

export class RemediationTaskView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: SEVERITIES }) priority!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ type: PersonRefDto }) owner!: PersonRefDto;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) gapIds!: string[];
  @ApiProperty({ type: [String], description: 'Points of focus the task addresses.' })
  pointsOfFocus!: string[];
  @ApiProperty({ type: [String], description: 'Linked criteria.' }) criteria!: string[];
  @ApiProperty({ type: [String] }) proposedCatalogControlIds!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    enum: ['remediated', 'compensating-control', 'risk-accepted'],
  })
  resolution!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resolutionNotes!: string | null;
  @ApiPropertyOptional({ nullable: true, type: [String] }) controlIds!: string[] | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) riskId!: string | null;
  @ApiProperty({ type: [TaskHistoryEntryView] }) history!: TaskHistoryEntryView[];
}

export class CompletedAssessmentView extends ResultsView {
  @ApiProperty({
    type: [RemediationTaskView],
    description: 'The remediation plan created by the completion.',
  })
  remediationTasks!: RemediationTaskView[];
}

export class ReportAssessmentView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['in-progress', 'completed'] }) status!: string;
  @ApiProperty() systemName!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty() catalogVersion!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
}

export class ReportGapView {
  @ApiProperty({ format: 'uuid' }) gapId!: string;
  @ApiProperty() pointOfFocusRef!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: ['partially-implemented', 'not-implemented'] }) answer!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ type: [String] }) proposedCatalogControlIds!: string[];
}

export class ReportTaskView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: SEVERITIES }) priority!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ type: PersonRefDto }) owner!: PersonRefDto;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty({ type: [String] }) pointsOfFocus!: string[];
  @ApiProperty({ type: [String] }) proposedCatalogControlIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) gapIds!: string[];
}

export class ReportView {
  @ApiProperty({ type: ReportAssessmentView }) assessment!: ReportAssessmentView;
  @ApiProperty() final!: boolean;
  @ApiProperty({ type: ScoresView }) scores!: ScoresView;
  @ApiProperty({ type: CountsView }) counts!: CountsView;
  @ApiProperty({ type: [ReportGapView], description: 'The ten most severe open gaps.' })
  topGaps!: ReportGapView[];
  @ApiProperty({
    type: [ReportTaskView],
    description: 'Open tasks by priority and due date, then closed ones.',
  })
  plan!: ReportTaskView[];
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}

export class RatingView {
  @ApiProperty({ minimum: 1, maximum: 5 }) likelihood!: number;
  @ApiProperty({ minimum: 1, maximum: 5 }) impact!: number;
  @ApiProperty({ minimum: 1, maximum: 25, description: 'Likelihood × impact.' }) score!: number;
}

export class RiskView {
  @ApiProperty({ format: 'uuid' }) riskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() category!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) threat!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) vulnerability!: string | null;
  @ApiProperty({ type: RatingView }) inherent!: RatingView;
  @ApiProperty({ type: RatingView }) residual!: RatingView;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'], description: 'Band of the residual score.' })
  residualLevel!: string;
  @ApiProperty({ enum: TREATMENTS }) treatment!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) treatmentRationale!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) linkedControlIds!: string[];
  @ApiProperty({ type: [String] }) criteria!: string[];
  @ApiProperty({ type: PersonRefDto }) owner!: PersonRefDto;
  @ApiProperty({ format: 'date' }) reviewDate!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) registeredInRiskAssessmentId!:
    string | null;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) lastReviewedAt!: string | null;
  @ApiProperty({ description: 'How many times the risk was reassessed.' }) reviewCount!: number;
}

export class RiskAssessmentCountsView {
  @ApiProperty() risksReviewed!: number;
  @ApiProperty() risksAdded!: number;
  @ApiProperty() risksChanged!: number;
  @ApiProperty() risksClosed!: number;
  @ApiProperty() aboveAppetite!: number;
}

export class TreatmentCountsView {
  @ApiProperty() mitigate!: number;
  @ApiProperty() accept!: number;
  @ApiProperty() transfer!: number;
  @ApiProperty() avoid!: number;
}

export class RiskAssessmentView {
  @ApiProperty({ format: 'uuid' }) riskAssessmentId!: string;
  @ApiProperty({ format: 'date' }) periodStart!: string;
  @ApiProperty({ format: 'date' }) periodEnd!: string;
  @ApiPropertyOptional() methodology?: string;
  @ApiProperty({ minimum: 1, maximum: 25 }) riskAppetiteScore!: number;
  @ApiProperty({ type: RiskAssessmentCountsView }) counts!: RiskAssessmentCountsView;
  @ApiProperty({ type: TreatmentCountsView }) byTreatment!: TreatmentCountsView;
  @ApiProperty({ type: [String], format: 'uuid' }) reviewedRiskIds!: string[];
  @ApiProperty() fraudRiskConsidered!: boolean;
  @ApiProperty() significantChangesConsidered!: boolean;
  @ApiPropertyOptional({ type: PersonRefDto }) approvedBy?: PersonRefDto;
  @ApiProperty({ format: 'date' }) nextAssessmentDue!: string;
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
}
