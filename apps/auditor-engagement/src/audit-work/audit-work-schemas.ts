import { FREQUENCIES, OWNER_ROLES } from '@attest/catalog';
import {
  EVIDENCE_REF_KINDS,
  OCCURRENCE_KINDS,
  PROCEDURES,
  REPORT_FORMATS,
  REQUEST_ORIGINS,
  REQUEST_RAISED_FOR,
  REQUEST_STATUSES,
  TEST_RESULTS,
} from '@attest/engagement-domain';
import { ACTOR_SCHEMA as ACTOR } from '../http/engagement-schemas';

/**
 * JSON Schemas of the audit work's answers for the OpenAPI document (the types are the views, audit-work-views.ts).
 * `required` lists what every answer carries.
 */

const INSTANT = { type: 'string', format: 'date-time' };
const DATE = { type: 'string', format: 'date' };
const UUID = { type: 'string', format: 'uuid' };
const TEXT = { type: 'string' };
const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const COUNT = { type: 'integer', minimum: 0 };

export const EVIDENCE_REF_SCHEMA = {
  type: 'object',
  required: ['kind', 'id', 'label'],
  properties: {
    kind: { type: 'string', enum: [...EVIDENCE_REF_KINDS] },
    id: TEXT,
    version: { type: 'integer', minimum: 1 },
    label: TEXT,
    at: INSTANT,
  },
};

const OCCURRENCE = {
  type: 'object',
  required: ['occurrenceId', 'kind', 'occurredAt', 'label', 'evidence'],
  properties: {
    occurrenceId: TEXT,
    kind: { type: 'string', enum: [...OCCURRENCE_KINDS] },
    occurredAt: TEXT,
    label: TEXT,
    evidence: { type: 'array', items: EVIDENCE_REF_SCHEMA },
  },
};

export const REQUEST_SCHEMA = {
  type: 'object',
  required: [
    'requestId',
    'engagementId',
    'origin',
    'title',
    'description',
    'owner',
    'dueOn',
    'status',
    'overdue',
    'evidence',
    'createdAt',
    'createdBy',
    'history',
    'version',
  ],
  properties: {
    requestId: UUID,
    engagementId: UUID,
    origin: {
      type: 'string',
      enum: [...REQUEST_ORIGINS],
      description: "From the controls in scope, the auditor's own, or a sampled occurrence.",
    },
    controlId: UUID,
    evidenceType: TEXT,
    sampleId: UUID,
    occurrenceId: TEXT,
    raisedFor: {
      type: 'string',
      enum: [...REQUEST_RAISED_FOR],
      description:
        'What the system raised the request for: an occurrence the Type II observation found no evidence of, or ' +
        "management's bridge letter after the report. Absent on an ordinary request. More reasons may be added.",
    },
    missedOccurrence: {
      type: 'object',
      required: ['dueOn', 'frequency'],
      description: 'The occurrence a `missed-occurrence` request asks about.',
      properties: {
        dueOn: { ...DATE, description: "The day the occurrence was due (not the request's own due day)." },
        frequency: { type: 'string', enum: [...FREQUENCIES] },
      },
    },
    title: TEXT,
    description: TEXT,
    owner: { type: 'object', properties: { role: { type: 'string', enum: [...OWNER_ROLES] } } },
    dueOn: DATE,
    status: { type: 'string', enum: [...REQUEST_STATUSES] },
    overdue: { type: 'boolean', description: 'Open or returned past its due date.' },
    evidence: { type: 'array', items: EVIDENCE_REF_SCHEMA, description: 'What the latest submission links.' },
    submittedBy: {
      type: 'string',
      enum: ['system', 'person'],
      description: 'system: answered by itself from what the services hold (no upload).',
    },
    createdAt: INSTANT,
    createdBy: ACTOR,
    history: {
      type: 'array',
      items: {
        type: 'object',
        required: ['step', 'at', 'actor'],
        properties: {
          step: {
            type: 'string',
            enum: ['created', 'submitted', 'resubmitted', 'accepted', 'returned', 'overdue', 'commented'],
          },
          at: INSTANT,
          actor: ACTOR,
          submittedBy: { type: 'string', enum: ['system', 'person'] },
          evidence: { type: 'array', items: EVIDENCE_REF_SCHEMA },
          note: TEXT,
          comment: TEXT,
          dueOn: DATE,
        },
      },
    },
    version: { type: 'integer', minimum: 1, description: "The request stream's version (its ETag)." },
  },
};

export const REQUEST_LIST_GENERATED_SCHEMA = {
  type: 'object',
  required: ['created'],
  properties: { created: { type: 'array', items: UUID, description: 'The requests this generation added.' } },
};

export const FULFILMENT_SCHEMA = {
  type: 'object',
  required: ['total', 'fulfilledWithoutUpload', 'share'],
  properties: {
    total: COUNT,
    fulfilledWithoutUpload: { ...COUNT, description: 'Requests whose latest submission the system made.' },
    share: { type: 'number', minimum: 0, maximum: 1 },
  },
};

const POPULATION_PROPERTIES = {
  populationId: UUID,
  engagementId: UUID,
  controlId: UUID,
  window: { type: 'object', required: ['from', 'to'], properties: { from: DATE, to: DATE } },
  frozenAt: INSTANT,
  frozenBy: ACTOR,
  size: COUNT,
  hash: { ...HASH, description: 'Hex SHA-256 of the RFC 8785 canonical JSON of the listing.' },
};
const POPULATION_REQUIRED = Object.keys(POPULATION_PROPERTIES);

export const POPULATION_SUMMARY_SCHEMA = {
  type: 'object',
  required: POPULATION_REQUIRED,
  properties: POPULATION_PROPERTIES,
};

export const POPULATION_SCHEMA = {
  type: 'object',
  required: [...POPULATION_REQUIRED, 'listing'],
  properties: { ...POPULATION_PROPERTIES, listing: { type: 'array', items: OCCURRENCE } },
};

const DRAW = {
  type: 'object',
  required: ['draw', 'index', 'occurrenceId'],
  properties: { draw: COUNT, index: COUNT, occurrenceId: TEXT },
};

export const SAMPLE_SCHEMA = {
  type: 'object',
  required: [
    'sampleId',
    'engagementId',
    'populationId',
    'controlId',
    'populationHash',
    'seed',
    'algorithm',
    'size',
    'basis',
    'selected',
    'selectedAt',
    'selectedBy',
  ],
  properties: {
    sampleId: UUID,
    engagementId: UUID,
    populationId: UUID,
    controlId: UUID,
    populationHash: HASH,
    seed: HASH,
    algorithm: { type: 'string', enum: ['attest-sha256-ctr-v1'] },
    size: COUNT,
    basis: {
      type: 'object',
      required: ['populationSize', 'testedInFull', 'table'],
      properties: {
        frequency: TEXT,
        populationSize: COUNT,
        testedInFull: { type: 'boolean' },
        table: { type: 'string', enum: ['frequency', 'population'] },
      },
    },
    selected: {
      type: 'array',
      items: {
        ...DRAW,
        required: [...DRAW.required, 'label'],
        properties: { ...DRAW.properties, label: TEXT },
      },
    },
    selectedAt: INSTANT,
    selectedBy: ACTOR,
  },
};

export const REPERFORMANCE_SCHEMA = {
  type: 'object',
  description:
    'Input of tools/sampling/reperform_sample.py: recompute the hash and the selection without Attest.',
  required: ['algorithm', 'seed', 'populationHash', 'size', 'listing', 'selected'],
  properties: {
    algorithm: { type: 'string', enum: ['attest-sha256-ctr-v1'] },
    seed: HASH,
    populationHash: HASH,
    size: COUNT,
    listing: { type: 'array', items: OCCURRENCE },
    selected: { type: 'array', items: DRAW },
  },
};

const RESULT = {
  type: 'object',
  required: ['resultId', 'controlId', 'procedure', 'result', 'testedAt', 'testedBy'],
  properties: {
    resultId: UUID,
    controlId: UUID,
    procedure: { type: 'string', enum: [...PROCEDURES] },
    occurrenceId: TEXT,
    result: { type: 'string', enum: [...TEST_RESULTS] },
    description: TEXT,
    testedAt: INSTANT,
    testedBy: ACTOR,
  },
};

export const EXCEPTION_SCHEMA = {
  type: 'object',
  required: ['exceptionId', 'controlId', 'description', 'raisedAt', 'raisedBy'],
  properties: {
    exceptionId: UUID,
    controlId: UUID,
    resultId: UUID,
    occurrenceId: TEXT,
    description: TEXT,
    raisedAt: INSTANT,
    raisedBy: ACTOR,
    managementResponse: {
      type: 'object',
      required: ['response', 'respondedAt', 'actor'],
      properties: { response: TEXT, respondedAt: INSTANT, actor: ACTOR },
    },
  },
};

export const TEST_RESULT_RECORDED_SCHEMA = {
  type: 'object',
  required: ['resultId'],
  properties: {
    resultId: UUID,
    exceptionId: { ...UUID, description: 'The exception raised with the result.' },
  },
};

export const CONTROL_TESTING_SCHEMA = {
  type: 'object',
  required: ['controlId', 'code', 'name', 'procedures', 'results', 'deviationRate', 'exceptions'],
  properties: {
    controlId: UUID,
    code: TEXT,
    name: TEXT,
    procedures: { type: 'array', items: { type: 'string', enum: [...PROCEDURES] } },
    results: { type: 'array', items: RESULT },
    deviationRate: {
      type: 'number',
      nullable: true,
      minimum: 0,
      maximum: 1,
      description: 'Null while untested.',
    },
    exceptions: { type: 'array', items: EXCEPTION_SCHEMA },
  },
};

export const REPORT_ISSUED_SCHEMA = {
  type: 'object',
  required: ['reportId', 'files'],
  properties: {
    reportId: UUID,
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['format', 'sha256', 'bytes'],
        properties: { format: { type: 'string', enum: [...REPORT_FORMATS] }, sha256: HASH, bytes: COUNT },
      },
    },
  },
};

export const BRIDGE_LETTER_SCHEMA = {
  type: 'object',
  required: ['letterId', 'engagementId', 'coversFrom', 'coversTo', 'sha256', 'issuedAt', 'issuedBy'],
  properties: {
    letterId: UUID,
    engagementId: UUID,
    coversFrom: DATE,
    coversTo: DATE,
    sha256: { ...HASH, description: "Hex SHA-256 of the letter's PDF." },
    issuedAt: INSTANT,
    issuedBy: ACTOR,
  },
};

/** A document's bytes. */
export const FILE_CONTENT = {
  description: "The bytes, with the format's media type, as an attachment.",
  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  headers: {
    'Content-Disposition': { description: 'attachment; filename=…', schema: { type: 'string' } },
    'Repr-Digest': {
      description:
        'sha-256=:<base64>: (RFC 9530) of the bytes; of an issued file, the SHA-256 its event records.',
      schema: { type: 'string' },
    },
  },
};
