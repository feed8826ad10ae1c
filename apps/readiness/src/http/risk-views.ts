import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  acceptanceHolds,
  dayOf,
  RISK_REVIEW_OUTCOMES,
  riskLevel,
  SEVERITIES,
  TREATMENTS,
  type RiskMatrix,
  type RiskMatrixLevel,
} from '@attest/readiness-domain';
import { PersonRefDto } from '@attest/service-kit';
import type { RiskReviewRow, RiskRow } from '../read-model/readiness-queries';
import { ActorView } from './views';

/** Response shapes of the risk register's routes, for the OpenAPI document. */

export class RatingView {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'On the likelihood scale of the risk matrix.' })
  likelihood!: number;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'On the impact scale of the risk matrix.' })
  impact!: number;
  @ApiProperty({ minimum: 1, maximum: 25, description: 'Likelihood × impact.' }) score!: number;
}

export class RiskAcceptanceView {
  @ApiProperty({ type: ActorView, description: 'Who accepted the risk (held the approval permission).' })
  approver!: ActorView;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date', description: 'From this day the acceptance no longer holds.' })
  expiresOn!: string;
  @ApiProperty({ format: 'date-time' }) acceptedAt!: string;
  @ApiProperty({
    enum: ['accepted', 'expired'],
    description: 'expired from its expiry day on (also before Attest records RiskAcceptanceExpired).',
  })
  status!: 'accepted' | 'expired';
}

export class RiskView {
  @ApiProperty({ format: 'uuid' }) riskId!: string;
  @ApiProperty({ enum: ['open', 'closed'], description: 'A closed risk refuses every change.' })
  status!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() category!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) threat!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) vulnerability!: string | null;
  @ApiProperty({ type: RatingView }) inherent!: RatingView;
  @ApiProperty({ type: RatingView }) residual!: RatingView;
  @ApiProperty({
    enum: SEVERITIES,
    description:
      "Band of the residual score by its share of the matrix's highest score: from 68% critical, 40% high, 20% medium.",
  })
  residualLevel!: string;
  @ApiProperty({ description: "Whether the residual score is above the matrix's appetite." })
  aboveAppetite!: boolean;
  @ApiProperty({ enum: TREATMENTS }) treatment!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'How and why (transfer, avoid).' })
  treatmentRationale!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) linkedControlIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) remediationTaskIds!: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who bears a transferred risk.' })
  transferredTo!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: RiskAcceptanceView,
    description: 'The approved acceptance of an accepted risk; null otherwise.',
  })
  acceptance!: RiskAcceptanceView | null;
  @ApiProperty({ type: [String] }) criteria!: string[];
  @ApiProperty({ type: PersonRefDto }) owner!: PersonRefDto;
  @ApiProperty({ format: 'date', description: 'When the risk is next due for review.' }) reviewDate!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) registeredInRiskAssessmentId!:
    string | null;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'The last review.' })
  lastReviewedAt!: string | null;
  @ApiProperty({ description: 'How many documented reviews the risk had.' }) reviewCount!: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) closedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closeReason!: string | null;
}

export class RiskReviewView {
  @ApiProperty({ format: 'uuid' }) reviewId!: string;
  @ApiProperty({ type: ActorView }) reviewer!: ActorView;
  @ApiProperty({ enum: RISK_REVIEW_OUTCOMES }) outcome!: string;
  @ApiProperty() notes!: string;
  @ApiProperty({ format: 'date-time' }) reviewedAt!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Null when it closed the risk.',
  })
  nextReviewDate!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) riskAssessmentId!: string | null;
}

export class RiskMatrixLevelView {
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty() label!: string;
}

export class RiskMatrixView {
  @ApiProperty({ type: [RiskMatrixLevelView] }) likelihoodLevels!: RiskMatrixLevel[];
  @ApiProperty({ type: [RiskMatrixLevelView] }) impactLevels!: RiskMatrixLevel[];
  @ApiProperty({
    minimum: 1,
    maximum: 25,
    description: 'Residual score above which a risk needs more treatment.',
  })
  appetiteScore!: number;
  @ApiProperty({ description: 'False while the organization uses the default matrix.' }) configured!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) configuredAt!: string | null;
}

export class RiskAssessmentCountsView {
  @ApiProperty({ description: 'Risks with a documented review since the period began.' })
  risksReviewed!: number;
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
  @ApiProperty({ type: TreatmentCountsView, description: 'Open risks by treatment.' })
  byTreatment!: TreatmentCountsView;
  @ApiProperty({ type: [String], format: 'uuid' }) reviewedRiskIds!: string[];
  @ApiProperty() fraudRiskConsidered!: boolean;
  @ApiPropertyOptional({ description: 'How fraud risk was considered (CC3.3).' }) fraudRiskNotes?: string;
  @ApiProperty() significantChangesConsidered!: boolean;
  @ApiPropertyOptional({ description: 'How significant changes were assessed (CC3.4).' })
  significantChangesNotes?: string;
  @ApiPropertyOptional({ type: ActorView, description: 'Who approved it.' }) approver?: ActorView;
  @ApiPropertyOptional({ type: PersonRefDto, description: 'The approver as earlier releases recorded it.' })
  approvedBy?: PersonRefDto;
  @ApiProperty({ format: 'date' }) nextAssessmentDue!: string;
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
}

/** A risk as the API shows it at `now`, its level and appetite read on the organization's matrix. */
export function riskView(
  { version: _version, lastChangedAt: _changed, acceptance, ...r }: RiskRow,
  matrix: RiskMatrix,
  now: Date,
): RiskView {
  return {
    ...r,
    residualLevel: riskLevel(r.residual.score, matrix),
    aboveAppetite: r.residual.score > matrix.appetiteScore,
    acceptance: acceptance && {
      approver: acceptance.approver,
      reason: acceptance.reason,
      expiresOn: acceptance.expiresOn,
      acceptedAt: acceptance.acceptedAt,
      status: acceptanceHolds(acceptance, dayOf(now.toISOString())) ? 'accepted' : 'expired',
    },
  } as RiskView;
}

export function riskReviewView({ riskId: _riskId, ...review }: RiskReviewRow): RiskReviewView {
  return review as RiskReviewView;
}
