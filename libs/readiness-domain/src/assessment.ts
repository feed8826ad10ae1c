import { attestCatalog, type Catalog } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import type {
  Actor,
  Answer,
  AnswerRecordedData,
  AssessmentCompleted,
  AssessmentEvent,
  AssessmentStartedData,
  Category,
  EvidenceReference,
  GapIdentified,
  PersonRef,
  RemediationTaskCreated,
  SystemDescription,
} from './events';
import { emptySeverityCounts } from './gap-severity';
import { normalizedCategories, placePointOfFocus, questionnaireFor } from './questionnaire';
import { scoreReadiness } from './readiness-score';
import { sameValue } from './same-value';
import { identifyGaps, planRemediation } from './remediation-plan';
import type { RiskSignal } from './task-priority';

export interface StartAssessment {
  type: 'StartAssessment';
  assessmentId: string;
  name: string;
  /** Categories beyond security (security is added when missing). */
  categories: Category[];
  catalogVersion: string;
  systemDescription: SystemDescription;
  targetReportType?: 'type-1' | 'type-2' | 'undecided';
  targetCompletionDate?: string;
  startedAt: string;
  actor: Actor;
}

export interface RecordAnswer {
  type: 'RecordAnswer';
  assessmentId: string;
  pointOfFocusRef: string;
  answer: Answer;
  justification?: string;
  notes?: string;
  owner?: PersonRef;
  evidenceReferences?: EvidenceReference[];
  answeredAt: string;
  actor: Actor;
}

export interface CompleteAssessment {
  type: 'CompleteAssessment';
  assessmentId: string;
  completedAt: string;
  actor: Actor;
  /** Owner of the remediation tasks whose gaps name no owner in their answers. */
  defaultTaskOwner?: PersonRef;
  /** The open risks of the register, to raise the priority of tasks on criteria a risk names. */
  risks?: RiskSignal[];
}

export type AssessmentCommand = StartAssessment | RecordAnswer | CompleteAssessment;

/** Completing an assessment also creates remediation tasks, which go to their own streams. */
export type AssessmentDecision = AssessmentEvent | RemediationTaskCreated;

/** The current answer to a point of focus: the payload of its latest AnswerRecorded. */
export type CurrentAnswer = Omit<AnswerRecordedData, 'assessmentId'>;

export type AssessmentState =
  | { status: 'none' }
  | {
      status: 'in-progress' | 'completed';
      assessmentId: string;
      name: string;
      catalogVersion: string;
      categories: Category[];
      answers: Record<string, CurrentAnswer>;
      gapIds: string[];
      completedAt?: string;
    };

/** The refusals of the assessment decider, with the HTTP status a service should answer them with. */
export const ASSESSMENT_REFUSALS = {
  'assessment-already-started': 409,
  'unsupported-catalog-version': 422,
  'assessment-not-found': 404,
  'assessment-completed': 409,
  'unknown-point-of-focus': 422,
  'point-of-focus-out-of-scope': 422,
  'justification-required': 422,
  'assessment-incomplete': 422,
  'task-owner-required': 422,
} as const;

/** The refusal for an assessment the tenant does not have (no stream, or another tenant's or kind's). */
export function assessmentNotFound(assessmentId: string): DomainError {
  return new DomainError('assessment-not-found', `no assessment ${assessmentId}`, { assessmentId });
}

/**
 * The readiness assessment: started with a scope and system description, answered point of focus by point of
 * focus (answers can change until completion, each change a new revision), and completed once: completion freezes
 * the answers, identifies the gaps, scores the assessment and creates the remediation plan.
 */
export function assessmentDecider(
  catalog: Catalog = attestCatalog,
): Decider<AssessmentCommand, AssessmentDecision, AssessmentState> {
  return {
    initialState: () => ({ status: 'none' }),
    evolve: (state, event) => evolve(state, event),
    decide: (command, state) => {
      switch (command.type) {
        case 'StartAssessment':
          return start(command, state, catalog);
        case 'RecordAnswer':
          return recordAnswer(command, state, catalog);
        case 'CompleteAssessment':
          return complete(command, state, catalog);
      }
    },
  };
}

function start(command: StartAssessment, state: AssessmentState, catalog: Catalog): AssessmentDecision[] {
  if (state.status !== 'none')
    throw new DomainError('assessment-already-started', `assessment ${command.assessmentId} already exists`);
  if (command.catalogVersion !== catalog.release.version)
    throw new DomainError(
      'unsupported-catalog-version',
      `catalog version ${command.catalogVersion} is not available; this service measures against ${catalog.release.version}`,
      { requested: command.catalogVersion, available: [catalog.release.version] },
    );
  const data: AssessmentStartedData = {
    assessmentId: command.assessmentId,
    name: command.name,
    startedAt: command.startedAt,
    actor: command.actor,
    ...(command.targetReportType ? { targetReportType: command.targetReportType } : {}),
    ...(command.targetCompletionDate ? { targetCompletionDate: command.targetCompletionDate } : {}),
    scope: {
      categories: normalizedCategories(command.categories, catalog),
      criteriaEdition: 'tsc-2017-rev2022',
    },
    catalogVersion: command.catalogVersion,
    systemDescription: command.systemDescription,
  };
  return [{ type: 'AssessmentStarted', data }];
}

type Started = Exclude<AssessmentState, { status: 'none' }>;

function openAssessment(state: AssessmentState, assessmentId: string): Started {
  if (state.status === 'none') throw assessmentNotFound(assessmentId);
  if (state.status === 'completed')
    throw new DomainError('assessment-completed', `assessment ${assessmentId} is completed and frozen`, {
      assessmentId,
      completedAt: state.completedAt,
    });
  return state;
}

function recordAnswer(command: RecordAnswer, state: AssessmentState, catalog: Catalog): AssessmentDecision[] {
  const open = openAssessment(state, command.assessmentId);
  const placement = placePointOfFocus(command.pointOfFocusRef, open.categories, catalog);
  if (placement.kind === 'unknown')
    throw new DomainError(
      'unknown-point-of-focus',
      `no point of focus ${command.pointOfFocusRef} in the catalog`,
      {
        pointOfFocusRef: command.pointOfFocusRef,
      },
    );
  if (placement.kind === 'out-of-scope')
    throw new DomainError(
      'point-of-focus-out-of-scope',
      `${command.pointOfFocusRef} belongs to ${placement.category}, which is not in the assessment's scope`,
      { pointOfFocusRef: command.pointOfFocusRef, category: placement.category, scope: open.categories },
    );
  if (command.answer === 'not-applicable' && !command.justification?.trim())
    throw new DomainError('justification-required', 'a not-applicable answer needs a justification', {
      pointOfFocusRef: command.pointOfFocusRef,
    });
  const previous = open.answers[command.pointOfFocusRef];
  const content = {
    answer: command.answer,
    ...(command.justification !== undefined ? { justification: command.justification } : {}),
    ...(command.notes !== undefined ? { notes: command.notes } : {}),
    ...(command.owner !== undefined ? { owner: command.owner } : {}),
    ...(command.evidenceReferences !== undefined ? { evidenceReferences: command.evidenceReferences } : {}),
  };
  // The same answer again (a retried PUT) changes nothing and records nothing.
  if (previous && sameContent(previous, content)) return [];
  const data: AnswerRecordedData = {
    assessmentId: command.assessmentId,
    pointOfFocusRef: placement.item.ref,
    criterionId: placement.item.criterionId,
    category: placement.item.category,
    ...content,
    revision: (previous?.revision ?? 0) + 1,
    answeredAt: command.answeredAt,
    actor: command.actor,
  };
  return [{ type: 'AnswerRecorded', data }];
}

function sameContent(previous: CurrentAnswer, content: Partial<CurrentAnswer>): boolean {
  const pick = (a: Partial<CurrentAnswer>) => [
    a.answer,
    a.justification,
    a.notes,
    a.owner,
    a.evidenceReferences,
  ];
  return sameValue(pick(previous), pick(content));
}

function complete(
  command: CompleteAssessment,
  state: AssessmentState,
  catalog: Catalog,
): AssessmentDecision[] {
  const open = openAssessment(state, command.assessmentId);
  const items = questionnaireFor(open.categories, catalog);
  const unanswered = items.filter((i) => !open.answers[i.ref]).map((i) => i.ref);
  if (unanswered.length > 0)
    throw new DomainError(
      'assessment-incomplete',
      `${unanswered.length} of ${items.length} points of focus are not answered yet`,
      { unanswered },
    );
  const answerOf = (ref: string) => open.answers[ref];
  const gaps = identifyGaps(command.assessmentId, items, answerOf);
  const tasks = planRemediation(
    command.assessmentId,
    gaps,
    command.risks ?? [],
    command.completedAt,
    command.defaultTaskOwner,
  );
  const ownerless = tasks.filter((t) => !t.owner).map((t) => t.criterionId);
  if (ownerless.length > 0)
    throw new DomainError(
      'task-owner-required',
      'some remediation tasks have no owner: name owners in the answers or give a default task owner',
      { criteria: ownerless },
    );

  const { scores, counts } = scoreReadiness(items, (ref) => open.answers[ref]?.answer);
  const gapsBySeverity = emptySeverityCounts();
  for (const g of gaps) gapsBySeverity[g.severity] += 1;

  const gapEvents = gaps.map((g): GapIdentified => ({
    type: 'GapIdentified',
    data: {
      assessmentId: command.assessmentId,
      gapId: g.gapId,
      criterionId: g.item.criterionId,
      pointOfFocusRef: g.item.ref,
      category: g.item.category,
      severity: g.severity,
      answer: g.answer,
      title: g.title,
      description: g.description,
      proposedCatalogControlIds: g.proposedCatalogControlIds,
      identifiedAt: command.completedAt,
      actor: command.actor,
    },
  }));
  const completed: AssessmentCompleted = {
    type: 'AssessmentCompleted',
    data: {
      assessmentId: command.assessmentId,
      completedAt: command.completedAt,
      actor: command.actor,
      catalogVersion: open.catalogVersion,
      categories: open.categories,
      scores,
      counts: { ...counts, gaps: gaps.length, gapsBySeverity },
    },
  };
  const taskEvents = tasks.flatMap((t): RemediationTaskCreated[] => {
    // Checked above: every task has an owner.
    if (!t.owner) return [];
    return [
      {
        type: 'RemediationTaskCreated',
        data: {
          taskId: t.taskId,
          assessmentId: command.assessmentId,
          gapIds: t.gaps.map((g) => g.gapId),
          title: t.title,
          description: t.description,
          priority: t.priority,
          owner: t.owner,
          dueDate: t.dueDate,
          pointsOfFocus: t.pointsOfFocus,
          proposedCatalogControlIds: t.proposedCatalogControlIds,
          createdAt: command.completedAt,
          actor: command.actor,
        },
      },
    ];
  });
  // Gaps first, then the completion (it counts them), then the tasks that close them.
  return [...gapEvents, completed, ...taskEvents];
}

function evolve(state: AssessmentState, event: AssessmentDecision): AssessmentState {
  switch (event.type) {
    case 'AssessmentStarted':
      return {
        status: 'in-progress',
        assessmentId: event.data.assessmentId,
        name: event.data.name,
        catalogVersion: event.data.catalogVersion,
        categories: event.data.scope.categories,
        answers: {},
        gapIds: [],
      };
    case 'AnswerRecorded': {
      if (state.status === 'none') return state;
      const { assessmentId: _assessmentId, ...answer } = event.data;
      return { ...state, answers: { ...state.answers, [event.data.pointOfFocusRef]: answer } };
    }
    case 'GapIdentified':
      if (state.status === 'none') return state;
      return { ...state, gapIds: [...state.gapIds, event.data.gapId] };
    case 'AssessmentCompleted':
      if (state.status === 'none') return state;
      return { ...state, status: 'completed', completedAt: event.data.completedAt };
    case 'RemediationTaskCreated':
      // Lives on the task's stream; the assessment's state does not change.
      return state;
  }
}
