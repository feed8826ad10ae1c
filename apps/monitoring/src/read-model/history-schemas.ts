import { attestCatalog } from '@attest/catalog';
import { HEALTHS } from '@attest/monitoring-domain';
import {
  DATE,
  DETAILS,
  INSTANT,
  OUTCOME_SCHEMA,
  SEVERITY_SCHEMA,
  TEST_ID,
  TEXT,
} from '../http/monitoring-schemas';
import { TEST_STATUSES } from './monitoring-views';

/**
 * JSON Schemas of the read side's answers (the types: monitoring-views.ts, pass-rates.ts and the domain's
 * HealthRollup).
 */

const COUNT = { type: 'integer', minimum: 0 };
const RUN_ID = { type: 'string', format: 'uuid', description: 'The collector run.' };
const HEALTH_SCHEMA = { type: 'string', enum: [...HEALTHS] };
const CATEGORY_IDS = attestCatalog.categories.map((c) => c.id);

const COUNTS_SCHEMA = {
  type: 'object',
  required: ['pass', 'fail', 'error', 'notApplicable', 'excepted'],
  description:
    'Resources per outcome; `excepted` are the fails an exception in force covers (included in `fail`).',
  properties: { pass: COUNT, fail: COUNT, error: COUNT, notApplicable: COUNT, excepted: COUNT },
};

export const RESULT_SCHEMA = {
  type: 'object',
  required: [
    'testId',
    'resourceType',
    'resourceId',
    'outcome',
    'previousOutcome',
    'details',
    'excepted',
    'since',
    'evaluatedAt',
    'runId',
    'testVersion',
  ],
  properties: {
    testId: TEST_ID,
    resourceType: TEXT,
    resourceId: TEXT,
    outcome: OUTCOME_SCHEMA,
    previousOutcome: { ...OUTCOME_SCHEMA, nullable: true, description: 'null: the first evaluation.' },
    details: DETAILS,
    excepted: { type: 'boolean', description: 'An exception in force covers the resource.' },
    since: { ...INSTANT, description: 'Since when the resource has had this outcome.' },
    evaluatedAt: { ...INSTANT, description: 'When the result last changed (outcome or details).' },
    runId: RUN_ID,
    testVersion: { type: 'integer', minimum: 1 },
  },
};

export const TIMELINE_ENTRY_SCHEMA = {
  type: 'object',
  required: [
    'testId',
    'resourceType',
    'outcome',
    'previousOutcome',
    'details',
    'excepted',
    'at',
    'runId',
    'testVersion',
    'globalPosition',
  ],
  properties: {
    testId: TEST_ID,
    resourceType: TEXT,
    outcome: OUTCOME_SCHEMA,
    previousOutcome: { ...OUTCOME_SCHEMA, nullable: true },
    details: DETAILS,
    excepted: { type: 'boolean', description: 'An exception covered the resource then.' },
    at: { ...INSTANT, description: 'When the run that recorded the change evaluated.' },
    runId: RUN_ID,
    testVersion: { type: 'integer', minimum: 1 },
    globalPosition: {
      type: 'integer',
      minimum: 1,
      description:
        'Where the change is in the log: `asOf=position:<globalPosition>` shows everything right then.',
    },
  },
};

export const TEST_STATUS_SCHEMA = {
  type: 'object',
  required: ['testId', 'title', 'severity', 'origin', 'status', 'counts', 'lastRun'],
  properties: {
    testId: TEST_ID,
    title: TEXT,
    severity: SEVERITY_SCHEMA,
    origin: { type: 'string', enum: ['shipped', 'custom'] },
    status: {
      type: 'string',
      enum: [...TEST_STATUSES],
      description:
        'failing: a resource fails with no exception; erroring: none fails, one errors; passing: at least one ' +
        'passes (or fails under an exception); not-applicable: it applies to none; not-run: nothing evaluated.',
    },
    counts: { ...COUNTS_SCHEMA, description: "Over each resource's latest result." },
    lastRun: {
      type: 'object',
      nullable: true,
      required: ['runId', 'evaluatedAt'],
      properties: { runId: RUN_ID, evaluatedAt: INSTANT },
    },
  },
};

const PASS_RATE_PROPERTIES = {
  runs: { ...COUNT, description: 'Runs counted.' },
  pass: COUNT,
  fail: { ...COUNT, description: 'Failed resource evaluations, those under an exception included.' },
  rate: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    nullable: true,
    description: 'pass / (pass + fail); null when nothing passed or failed (errors and n/a do not count).',
  },
};

/** How both pass-rate routes count. */
export const PASS_RATE_DESCRIPTION =
  'Over the runs evaluated within the period (UTC days, both included): pass / (pass + fail), resources counted ' +
  'in every run. `to` before `from` is refused with 422 `invalid-period`.';

/** A pass rate over a period with its tests' own: of a test (`subject` testId) or of a control (controlId). */
function passRateSchema(subject: 'testId' | 'controlId', subjectSchema: object, testsDescription: string) {
  return {
    type: 'object',
    required: [subject, 'from', 'to', 'runs', 'pass', 'fail', 'rate', 'tests'],
    properties: {
      [subject]: subjectSchema,
      from: DATE,
      to: DATE,
      ...PASS_RATE_PROPERTIES,
      tests: {
        type: 'array',
        description: testsDescription,
        items: {
          type: 'object',
          required: ['testId', 'runs', 'pass', 'fail', 'rate'],
          properties: { testId: TEST_ID, ...PASS_RATE_PROPERTIES },
        },
      },
    },
  };
}

export const TEST_PASS_RATE_SCHEMA = passRateSchema('testId', TEST_ID, 'The test itself.');
export const CONTROL_PASS_RATE_SCHEMA = passRateSchema(
  'controlId',
  { type: 'string', format: 'uuid' },
  'Each test proving the control, by test id (empty: none proves it).',
);

/** A control's test runs per day (ControlActivityView). */
export const CONTROL_ACTIVITY_SCHEMA = {
  type: 'object',
  required: ['controlId', 'from', 'to', 'testIds', 'days'],
  properties: {
    controlId: { type: 'string', format: 'uuid' },
    from: DATE,
    to: DATE,
    testIds: { type: 'array', items: TEST_ID, description: 'The tests proving the control, by id.' },
    days: {
      type: 'array',
      description: 'The days (UTC) of the period on which a test proving the control ran, oldest first.',
      items: {
        type: 'object',
        required: ['day', 'runs'],
        properties: {
          day: DATE,
          runs: {
            type: 'array',
            minItems: 1,
            description: 'The runs evaluated that day, oldest first.',
            items: {
              type: 'object',
              required: ['testId', 'runId', 'testVersion', 'collectorId', 'evaluatedAt', 'counts'],
              properties: {
                testId: TEST_ID,
                runId: RUN_ID,
                testVersion: { type: 'integer', minimum: 1 },
                collectorId: { ...TEXT, description: 'The collector whose run was evaluated.' },
                evaluatedAt: INSTANT,
                counts: COUNTS_SCHEMA,
              },
            },
          },
        },
      },
    },
  },
};

const ID_LIST = { type: 'array', items: TEXT };

export const CONTROL_HEALTH_SCHEMA = {
  type: 'object',
  required: ['controlId', 'health', 'previous', 'criteria', 'reasons', 'version'],
  properties: {
    controlId: { type: 'string', format: 'uuid' },
    health: HEALTH_SCHEMA,
    previous: { ...HEALTH_SCHEMA, nullable: true },
    criteria: {
      type: 'array',
      items: TEXT,
      description: 'The Trust Services Criteria the control is mapped to.',
    },
    reasons: {
      type: 'object',
      required: [
        'failingTests',
        'erroringTests',
        'expiredEvidence',
        'expiringEvidence',
        'openExceptions',
        'testsPassing',
      ],
      properties: {
        failingTests: {
          type: 'array',
          items: {
            type: 'object',
            required: ['testId', 'failing'],
            properties: { testId: TEST_ID, failing: COUNT },
          },
        },
        erroringTests: ID_LIST,
        expiredEvidence: { ...ID_LIST, description: 'Evidence item ids.' },
        expiringEvidence: { ...ID_LIST, description: 'Evidence item ids.' },
        openExceptions: COUNT,
        testsPassing: COUNT,
      },
    },
    changedAt: { ...INSTANT, description: 'When the health last changed (absent: never assessed).' },
    version: { type: 'integer', minimum: 0, description: 'The health stream version (0: never assessed).' },
  },
};

const CATEGORY = { type: 'string', enum: CATEGORY_IDS };
const CONTROLS_BY_HEALTH = {
  type: 'object',
  description: 'How many controls have each health.',
  required: [...HEALTHS],
  properties: Object.fromEntries(HEALTHS.map((h) => [h, COUNT])),
};

export const HEALTH_ROLLUP_SCHEMA = {
  type: 'object',
  required: ['criteria', 'categories'],
  properties: {
    criteria: {
      type: 'array',
      description: 'Criteria some control maps to, in catalog order.',
      items: {
        type: 'object',
        required: ['criterionId', 'category', 'health', 'controls'],
        properties: {
          criterionId: { ...TEXT, example: 'CC7.2' },
          category: CATEGORY,
          health: { ...HEALTH_SCHEMA, description: 'The worst health of its controls.' },
          controls: CONTROLS_BY_HEALTH,
        },
      },
    },
    categories: {
      type: 'array',
      items: {
        type: 'object',
        required: ['category', 'health', 'controls'],
        properties: {
          category: CATEGORY,
          health: { ...HEALTH_SCHEMA, description: "The worst health of its criteria's controls." },
          controls: { ...CONTROLS_BY_HEALTH, description: 'Each control counted once.' },
        },
      },
    },
  },
};
