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
import { SCORING_METHOD } from './events';
import { emptySeverityCounts } from './gap-severity';
import { normalizedCategories, placePointOfFocus, questionnaireFor } from './questionnaire';
import { evaluateReadiness, publishedScores } from './readiness-score';
import { sameValue } from './same-value';
import { assertValidSystemDescription, SYSTEM_DESCRIPTION_REFUSALS } from './system-description';
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

/** Replaces the system description with a new revision, in progress and after completion alike. */
export interface ReviseSystemDescription {
  type: 'ReviseSystemDescription';
  assessmentId: string;
  systemDescription: SystemDescription;
  changeSummary: string;
  revisedAt: string;
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

export type AssessmentCommand = StartAssessment | ReviseSystemDescription | RecordAnswer | CompleteAssessment;

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
      systemDescription: SystemDescription;
      /** 0 as started, then the revision of the latest SystemDescriptionRevised. */
      systemDescriptionRevision: number;
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
  'criterion-justification-required': 422,
  'nothing-applicable': 422,
  'task-owner-required': 422,
  ...SYSTEM_DESCRIPTION_REFUSALS,
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
        case 'ReviseSystemDescription':
          return reviseSystemDescription(command, state, catalog);
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
  const categories = normalizedCategories(command.categories, catalog);
  assertValidSystemDescription(command.systemDescription, categories, catalog);
  const data: AssessmentStartedData = {
    assessmentId: command.assessmentId,
    name: command.name,
    startedAt: command.startedAt,
    actor: command.actor,
    ...(command.targetReportType ? { targetReportType: command.targetReportType } : {}),
    ...(command.targetCompletionDate ? { targetCompletionDate: command.targetCompletionDate } : {}),
    scope: { categories, criteriaEdition: 'tsc-2017-rev2022' },
    catalogVersion: command.catalogVersion,
    systemDescription: command.systemDescription,
  };
  return [{ type: 'AssessmentStarted', data }];
}

type Started = Exclude<AssessmentState, { status: 'none' }>;

function reviseSystemDescription(
  command: ReviseSystemDescription,
  state: AssessmentState,
  catalog: Catalog,
): AssessmentDecision[] {
  // A completed assessment's description still changes (it goes on into the audit); its conclusions do not.
  if (state.status === 'none') throw assessmentNotFound(command.assessmentId);
  if (!command.changeSummary.trim())
    throw new DomainError('change-summary-required', 'say what changed in the system description', {
      assessmentId: command.assessmentId,
    });
  assertValidSystemDescription(command.systemDescription, state.categories, catalog);
  // The same description again (a retried PUT) is no new revision.
  if (sameValue(state.systemDescription, command.systemDescription)) return [];
  return [
    {
      type: 'SystemDescriptionRevised',
      data: {
        assessmentId: command.assessmentId,
        revision: state.systemDescriptionRevision + 1,
        systemDescription: command.systemDescription,
        changeSummary: command.changeSummary,
        revisedAt: command.revisedAt,
        actor: command.actor,
      },
    },
  ];
}

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
  // Unanswered points of focus are allowed: they are recorded as not assessed, lower their criterion's conclusion
  // and each is a gap.
  const evaluation = evaluateReadiness(
    items,
    (ref) => open.answers[ref]?.answer,
    open.systemDescription.criteriaNotRelevant ?? [],
  );
  const unjustified = evaluation.criteria.filter((c) => c.justificationRequired).map((c) => c.criterionId);
  if (unjustified.length > 0)
    throw new DomainError(
      'criterion-justification-required',
      `every point of focus of ${unjustified.join(', ')} is answered not applicable: declare the criteria not ` +
        'relevant, with a reason, in the system description',
      { criteria: unjustified },
    );
  const scores = publishedScores(evaluation.scores);
  if (!scores)
    throw new DomainError(
      'nothing-applicable',
      'every criterion in scope is declared not relevant: there is nothing to conclude on',
      { categories: open.categories },
    );
  const gaps = identifyGaps(command.assessmentId, items, (ref) => open.answers[ref], evaluation.criteria);
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
      ...(g.notAssessed ? { notAssessed: true } : {}),
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
      counts: { ...evaluation.counts, gaps: gaps.length, gapsBySeverity },
      scoringMethod: SCORING_METHOD,
      criteria: evaluation.criteria,
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
        systemDescription: event.data.systemDescription,
        systemDescriptionRevision: 0,
        answers: {},
        gapIds: [],
      };
    case 'SystemDescriptionRevised':
      if (state.status === 'none') return state;
      return {
        ...state,
        systemDescription: event.data.systemDescription,
        systemDescriptionRevision: event.data.revision,
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
