import type { Frequency } from '@attest/catalog';
import type {
  AuditorRole,
  EngagementStatus,
  EngagementType,
  Procedure,
  Scope,
  TestResult,
} from '@attest/engagement-domain';
import type { SystemDescription } from '@attest/readiness-domain';

/**
 * What every report format is rendered from. The auditor-engagement service assembles it from its read model and
 * inputs; the renderers only lay it out, so HTML, PDF, the control matrix and OSCAL always tell the same story.
 */

export type { AuditorRole, EngagementStatus, EngagementType, Procedure, Scope, TestResult };
export type ControlConclusion = 'no-exceptions-noted' | 'exceptions-noted' | 'not-tested';

export interface ReportOrganization {
  tenantId: string;
  /** The system description's systemName. */
  name: string;
}

export interface ReportEngagement {
  engagementId: string;
  name: string;
  type: EngagementType;
  /** Type I: the date the design is described as of. */
  asOf?: string;
  /** Type II: the observation window. */
  window?: { from: string; to: string };
  firm: { name: string; auditors: { name: string; role: AuditorRole }[] };
  status: EngagementStatus;
  categories: string[];
}

export interface ReportTestResult {
  resultId: string;
  occurrenceId?: string;
  occurrenceLabel?: string;
  procedure: Procedure;
  result: TestResult;
  description?: string;
  testedAt: string;
  tester: string;
}

export interface ReportException {
  exceptionId: string;
  occurrenceId?: string;
  description: string;
  managementResponse?: { response: string; respondedAt: string; by: string };
}

export interface ReportControl {
  controlId: string;
  code: string;
  name: string;
  description: string;
  frequency: Frequency;
  criteria: string[];
  procedures: Procedure[];
  population?: { populationId: string; size: number; hash: string; frozenAt: string };
  sample?: { sampleId: string; seed: string; size: number; testedInFull: boolean };
  results: ReportTestResult[];
  /** Exceptions / results, null when untested. */
  deviationRate: number | null;
  exceptions: ReportException[];
  conclusion: ControlConclusion;
}

export interface AuditReportModel {
  generatedAt: string;
  organization: ReportOrganization;
  engagement: ReportEngagement;
  /** The tenant's latest system description from readiness (null when readiness holds none). */
  systemDescription: SystemDescription | null;
  scope: Scope;
  criteria: { criterionId: string; category: string; text: string; controlIds: string[] }[];
  criteriaNotRelevant: { criterionId: string; reason: string }[];
  controls: ReportControl[];
  requests: { total: number; fulfilledWithoutUpload: number; share: number };
}

export interface BridgeLetterModel {
  organization: ReportOrganization;
  engagement: ReportEngagement;
  coversFrom: string;
  coversTo: string;
  significantChanges: { date: string; description: string }[];
  issuedAt: string;
  signatory: string;
}
