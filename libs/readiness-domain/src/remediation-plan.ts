import { uuidV5 } from '@attest/catalog';
import { missingShare } from './criterion-conclusion';
import type { Answer, CriterionResult, GapAnswer, PersonRef, Severity } from './events';
import { compareSeverity, gapSeverity, worstSeverity } from './gap-severity';
import type { QuestionnaireItem } from './questionnaire';
import { dueDate, linkedRisks, taskPriority, type RiskSignal } from './task-priority';

/** The part of a recorded answer gap identification needs. */
export interface GivenAnswer {
  answer: Answer;
  notes?: string;
  owner?: PersonRef;
}

export interface IdentifiedGap {
  gapId: string;
  item: QuestionnaireItem;
  /** `not-implemented` for a point nobody assessed (`notAssessed`). */
  answer: GapAnswer;
  notAssessed?: true;
  severity: Severity;
  title: string;
  description: string;
  proposedCatalogControlIds: string[];
  owner?: PersonRef;
}

/** A gap's id: a version-5 UUID of the point of focus in the assessment's namespace (one gap per point). */
export function gapIdFor(assessmentId: string, pointOfFocusRef: string): string {
  return uuidV5(`gap:${pointOfFocusRef}`, assessmentId);
}

/** A remediation task's id: a version-5 UUID of the criterion in the assessment's namespace (one task per criterion). */
export function taskIdFor(assessmentId: string, criterionId: string): string {
  return uuidV5(`remediation-task:${criterionId}`, assessmentId);
}

/** How a gap's point of focus stands, in words. */
type GapStatus = GapAnswer | 'not-assessed';

const STATUS_WORDS: Record<GapStatus, string> = {
  'not-implemented': 'not implemented',
  'partially-implemented': 'partially implemented',
  'not-assessed': 'not assessed',
};

function statusOf(gap: Pick<IdentifiedGap, 'answer' | 'notAssessed'>): GapStatus {
  return gap.notAssessed ? 'not-assessed' : gap.answer;
}

/**
 * The gaps, in questionnaire order: every point of focus answered not implemented or partially implemented, and
 * every point left unanswered (not assessed), of the criteria that are not declared not relevant. Every gap of a
 * criterion gets the criterion's severity (`gapSeverity` from its weight and missing share).
 */
export function identifyGaps(
  assessmentId: string,
  items: readonly QuestionnaireItem[],
  answerOf: (ref: string) => GivenAnswer | undefined,
  criteria: readonly CriterionResult[],
): IdentifiedGap[] {
  const byId = new Map(criteria.map((c) => [c.criterionId, c]));
  return items.flatMap((item): IdentifiedGap[] => {
    const criterion = byId.get(item.criterionId);
    if (!criterion || criterion.conclusion === 'not-applicable') return [];
    const missing = missingShare(criterion.points);
    const given = answerOf(item.ref);
    const status: GapStatus | undefined = !given
      ? 'not-assessed'
      : given.answer === 'not-implemented' || given.answer === 'partially-implemented'
        ? given.answer
        : undefined;
    if (!status || missing === null) return [];
    const words = STATUS_WORDS[status];
    const notes = given?.notes ? ` Notes from the assessment: ${given.notes}` : '';
    const why = status === 'not-assessed' ? ' Nobody answered it before the assessment was completed.' : '';
    return [
      {
        gapId: gapIdFor(assessmentId, item.ref),
        item,
        answer: status === 'not-assessed' ? 'not-implemented' : status,
        ...(status === 'not-assessed' ? { notAssessed: true as const } : {}),
        severity: gapSeverity(item.criterionId, missing),
        title: clip(`${item.ref} ${item.heading}: ${words}`, 300),
        description: clip(
          `${item.criterionId} (${item.criterionTitle}): ${item.heading} is ${words}.${why} ${item.explanation}${notes}`,
          4000,
        ),
        proposedCatalogControlIds: [...item.catalogControlIds],
        ...(given?.owner ? { owner: given.owner } : {}),
      },
    ];
  });
}

export interface PlannedTask {
  taskId: string;
  criterionId: string;
  gaps: IdentifiedGap[];
  priority: Severity;
  linkedRiskIds: string[];
  /** Undefined when no answer of the group named an owner and no default owner was given. */
  owner?: PersonRef;
  dueDate: string;
  title: string;
  description: string;
  pointsOfFocus: string[];
  proposedCatalogControlIds: string[];
}

/**
 * The remediation plan: one task per criterion with gaps (in questionnaire order), closing all of its gaps.
 * Priority: `taskPriority` (worst gap severity, raised by linked risks with a high residual score). Owner: the owner
 * named in the answer of the task's most severe gap, else the first owner named in the group, else `defaultOwner`.
 * Due date: `createdAt` + DUE_DAYS[priority].
 */
export function planRemediation(
  assessmentId: string,
  gaps: readonly IdentifiedGap[],
  risks: readonly RiskSignal[],
  createdAt: string,
  defaultOwner?: PersonRef,
): PlannedTask[] {
  const groups = new Map<string, IdentifiedGap[]>();
  for (const gap of gaps) {
    const list = groups.get(gap.item.criterionId);
    if (list) list.push(gap);
    else groups.set(gap.item.criterionId, [gap]);
  }
  return [...groups].map(([criterionId, group]): PlannedTask => {
    const linked = linkedRisks(criterionId, risks);
    const priority = taskPriority(
      group.map((g) => g.severity),
      linked.map((r) => r.residualScore),
    );
    const worst = worstSeverity(group.map((g) => g.severity)) ?? priority;
    const byUrgency = [...group].sort((a, b) => compareSeverity(a.severity, b.severity));
    const owner =
      byUrgency.find((g) => g.severity === worst && g.owner)?.owner ??
      group.find((g) => g.owner)?.owner ??
      defaultOwner;
    const proposed = [...new Set(group.flatMap((g) => g.proposedCatalogControlIds))].sort();
    const title = group[0].item.criterionTitle;
    const lines = group.map(
      (g) => `- ${g.item.ref} ${g.item.heading} (${STATUS_WORDS[statusOf(g)]}, ${g.severity})`,
    );
    const description = [
      `Put in place what ${criterionId} (${title}) still lacks:`,
      ...lines,
      proposed.length ? `Catalog controls that would close these gaps: ${proposed.join(', ')}.` : '',
      linked.length
        ? `Linked risks: ${linked.map((r) => `${r.riskId} (residual ${r.residualScore})`).join(', ')}.`
        : '',
    ]
      .filter(Boolean)
      .join('\n');
    return {
      taskId: taskIdFor(assessmentId, criterionId),
      criterionId,
      gaps: group,
      priority,
      linkedRiskIds: linked.map((r) => r.riskId),
      ...(owner ? { owner } : {}),
      dueDate: dueDate(createdAt, priority),
      title: clip(
        `Close ${group.length} gap${group.length === 1 ? '' : 's'} in ${criterionId} ${title}`,
        300,
      ),
      description: clip(description, 4000),
      pointsOfFocus: group.map((g) => g.item.ref),
      proposedCatalogControlIds: proposed,
    };
  });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
