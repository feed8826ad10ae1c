import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ANSWERS,
  CATEGORIES,
  CRITERION_CONCLUSIONS,
  SCORING_METHOD,
  SCORING_RULES,
  SEVERITIES,
  TASK_STATUSES,
} from '@attest/readiness-domain';
import { EvidenceReferenceDto } from './common.dto';
import { PersonRefDto } from '@attest/service-kit';
import { SystemDescriptionDto } from './system-description.dto';

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

const NO_SCORE = 'Null when nothing in it is applicable (every criterion declared not relevant).';

export class CategoryScoreView {
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: `The weighted mean of its series scores (a series weighs what its criteria weigh). ${NO_SCORE}`,
  })
  score!: number | null;
}

export class SeriesScoreView {
  @ApiProperty({ example: 'CC6' }) series!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ enum: [2, 3], description: 'The weight of its criteria: 3 for CC1, CC6, CC7, CC8, else 2.' })
  weight!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: `100 × Σ weight × credit / Σ weight over its applicable criteria (met 1, partially met 0.5, not met 0). ${NO_SCORE}`,
  })
  score!: number | null;
}

export class ScoresView {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: `The mean of the category scores in scope. ${NO_SCORE}`,
  })
  overall!: number | null;
  @ApiProperty({ type: [CategoryScoreView] }) byCategory!: CategoryScoreView[];
  @ApiProperty({ type: [SeriesScoreView] }) bySeries!: SeriesScoreView[];
}

export class PointTallyView {
  @ApiProperty({ description: 'Points that count: every point not answered not applicable.' })
  applicable!: number;
  @ApiProperty() implemented!: number;
  @ApiProperty() partiallyImplemented!: number;
  @ApiProperty() notImplemented!: number;
  @ApiProperty({ description: 'Unanswered: they earn nothing.' }) notAssessed!: number;
  @ApiProperty() notApplicable!: number;
}

export class CriterionResultView {
  @ApiProperty({ example: 'CC8.1' }) criterionId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ example: 'CC8' }) series!: string;
  @ApiProperty({ enum: [2, 3] }) weight!: number;
  @ApiProperty({
    enum: CRITERION_CONCLUSIONS,
    description:
      'not-applicable: declared not relevant in the system description (with its reason); met: every applicable ' +
      'point implemented; not-met: score below 50; partially-met otherwise.',
  })
  conclusion!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: '100 × the mean credit of its applicable points; null when none is applicable.',
  })
  score!: number | null;
  @ApiProperty({ type: PointTallyView }) points!: PointTallyView;
  @ApiPropertyOptional({ description: 'Why the criterion is not relevant to the system.' }) reason?: string;
  @ApiProperty({
    description:
      'Every point is answered not applicable but the criterion is not declared not relevant: it reads not met ' +
      'and completion is refused until the system description gives a reason.',
  })
  justificationRequired!: boolean;
}

export class ConclusionCountsView {
  @ApiProperty() met!: number;
  @ApiProperty() partiallyMet!: number;
  @ApiProperty() notMet!: number;
  @ApiProperty() notApplicable!: number;
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
  @ApiProperty({ description: 'Points of focus without an answer (not assessed).' }) notAssessed!: number;
  @ApiProperty() gaps!: number;
  @ApiProperty({ type: SeverityCountsView }) gapsBySeverity!: SeverityCountsView;
}

export class GapView {
  @ApiProperty({ format: 'uuid' }) gapId!: string;
  @ApiProperty() pointOfFocusRef!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({
    enum: ['partially-implemented', 'not-implemented'],
    description: 'not-implemented for a point of focus nobody answered (notAssessed).',
  })
  answer!: string;
  @ApiProperty({ description: 'The point of focus was not answered.' }) notAssessed!: boolean;
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
      'False while in progress: unanswered points of focus count as not assessed and gaps are provisional.',
  })
  final!: boolean;
  @ApiProperty() catalogVersion!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty({ enum: [SCORING_METHOD] }) scoringMethod!: string;
  @ApiProperty({ type: ScoresView, description: "Rolled up from the criteria's conclusions." })
  scores!: ScoresView;
  @ApiProperty({ type: ConclusionCountsView }) conclusions!: ConclusionCountsView;
  @ApiProperty({ type: [CriterionResultView], description: 'Every criterion in scope, in catalog order.' })
  criteria!: CriterionResultView[];
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
  @ApiProperty({
    enum: ['partially-implemented', 'not-implemented'],
    description: 'not-implemented for a point of focus nobody answered (notAssessed).',
  })
  answer!: string;
  @ApiProperty({ description: 'The point of focus was not answered.' }) notAssessed!: boolean;
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

export class CalculationView {
  @ApiProperty({ type: [String], example: SCORING_RULES, description: 'How every figure is calculated.' })
  rules!: string[];
  @ApiProperty({
    type: [String],
    description:
      "This assessment's arithmetic: each series from its conclusions, each category, the overall.",
  })
  arithmetic!: string[];
}

export class ReportView {
  @ApiProperty({ type: ReportAssessmentView }) assessment!: ReportAssessmentView;
  @ApiProperty() final!: boolean;
  @ApiProperty({ enum: [SCORING_METHOD] }) scoringMethod!: string;
  @ApiProperty({ type: ScoresView }) scores!: ScoresView;
  @ApiProperty({ type: ConclusionCountsView }) conclusions!: ConclusionCountsView;
  @ApiProperty({ type: [CriterionResultView] }) criteria!: CriterionResultView[];
  @ApiProperty({ type: CountsView }) counts!: CountsView;
  @ApiProperty({ type: CalculationView, description: 'How this score is calculated.' })
  calculation!: CalculationView;
  @ApiProperty({ type: [ReportGapView], description: 'The ten most severe open gaps.' })
  topGaps!: ReportGapView[];
  @ApiProperty({
    type: [ReportTaskView],
    description: 'Open tasks by priority and due date, then closed ones.',
  })
  plan!: ReportTaskView[];
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}
