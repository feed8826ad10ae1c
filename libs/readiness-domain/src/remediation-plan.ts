import { uuidV5 } from '@attest/catalog';
import type { Answer, GapAnswer, PersonRef, Severity } from './events';
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
  answer: GapAnswer;
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

const ANSWER_WORDS: Record<GapAnswer, string> = {
  'not-implemented': 'not implemented',
  'partially-implemented': 'partially implemented',
};

/** Every point of focus answered not implemented or partially implemented is a gap, in questionnaire order. */
export function identifyGaps(
  assessmentId: string,
  items: readonly QuestionnaireItem[],
  answerOf: (ref: string) => GivenAnswer | undefined,
): IdentifiedGap[] {
  return items.flatMap((item): IdentifiedGap[] => {
    const given = answerOf(item.ref);
    if (!given || (given.answer !== 'not-implemented' && given.answer !== 'partially-implemented')) return [];
    const answer = given.answer;
    const notes = given.notes ? ` Notes from the assessment: ${given.notes}` : '';
    return [
      {
        gapId: gapIdFor(assessmentId, item.ref),
        item,
        answer,
        severity: gapSeverity(answer, item.criterionId),
        title: clip(`${item.ref} ${item.heading}: ${ANSWER_WORDS[answer]}`, 300),
        description: clip(
          `${item.criterionId} (${item.criterionTitle}): ${item.heading} is ${ANSWER_WORDS[answer]}. ${item.explanation}${notes}`,
          4000,
        ),
        proposedCatalogControlIds: [...item.catalogControlIds],
        ...(given.owner ? { owner: given.owner } : {}),
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
      (g) => `- ${g.item.ref} ${g.item.heading} (${ANSWER_WORDS[g.answer]}, ${g.severity})`,
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
