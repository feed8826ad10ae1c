/**
 * JSON Schemas of the response bodies, for the OpenAPI document (the types live in @attest/control-mapping-domain).
 * `required` lists what every answer carries; the fuzz run's response_schema_conformance holds the service to it.
 */

const person = {
  type: 'object',
  required: ['personId'],
  properties: {
    personId: { type: 'string', format: 'uuid' },
    displayName: { type: 'string' },
    email: { type: 'string' },
  },
};
const implementationStatus = { type: 'string', enum: ['not-started', 'in-progress', 'implemented'] };
const coverageStatus = { type: 'string', enum: ['covered-implemented', 'covered-not-implemented', 'gap'] };
const coveringControl = {
  type: 'object',
  required: ['controlId', 'code', 'name', 'implementation'],
  properties: {
    controlId: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    implementation: implementationStatus,
  },
};
/** A control's health as the monitoring service last assessed it (`unknown`: never). */
const health = { type: 'string', enum: ['healthy', 'at-risk', 'failing', 'unknown'] };
const coveringControlWithHealth = {
  ...coveringControl,
  required: [...coveringControl.required, 'health'],
  properties: { ...coveringControl.properties, health },
};
const counts = {
  type: 'object',
  properties: {
    'covered-implemented': { type: 'integer' },
    'covered-not-implemented': { type: 'integer' },
    gap: { type: 'integer' },
  },
};
/** A row of the SOC 2 matrix: a coverage status, or not-applicable for what the organization explained. */
const matrixStatus = { type: 'string', enum: [...coverageStatus.enum, 'not-applicable'] };
const matrixCounts = {
  type: 'object',
  required: ['covered-implemented', 'covered-not-implemented', 'gap', 'not-applicable'],
  properties: { ...counts.properties, 'not-applicable': { type: 'integer' } },
};
const pointOfFocusExplanation = {
  type: 'object',
  required: ['criterionId', 'justification', 'markedAt'],
  properties: {
    criterionId: { type: 'string' },
    justification: { type: 'string' },
    markedAt: { type: 'string', format: 'date-time' },
  },
};

export const CONTROL_SET_SCHEMA = {
  type: 'object',
  required: [
    'controlSetId',
    'name',
    'categories',
    'criteria',
    'catalogVersion',
    'upgrades',
    'pointsOfFocusNotApplicable',
    'controlCount',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    controlSetId: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    categories: { type: 'array', items: { type: 'string' } },
    criteria: { type: 'array', items: { type: 'string' } },
    catalogVersion: { type: 'string' },
    upgrades: { type: 'array', items: { type: 'object' } },
    pointsOfFocusNotApplicable: {
      type: 'object',
      description: 'Points of focus of the scope explained as not applicable, by ref (e.g. CC6.4.2).',
      additionalProperties: pointOfFocusExplanation,
    },
    controlCount: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const CONTROL_SCHEMA = {
  type: 'object',
  description: 'An organization control (read model).',
  required: [
    'controlId',
    'controlSetId',
    'origin',
    'code',
    'name',
    'description',
    'controlType',
    'nature',
    'frequency',
    'criteria',
    'pointsOfFocus',
    'implementation',
    'applicability',
    'customizedFields',
    'health',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    controlId: { type: 'string', format: 'uuid' },
    controlSetId: { type: 'string', format: 'uuid' },
    origin: { type: 'string', enum: ['catalog', 'custom'] },
    catalogControlId: { type: 'string' },
    adoptedFromVersion: { type: 'string', description: 'The catalog version the control was adopted from.' },
    templateVersion: { type: 'string', description: 'The catalog version whose template it follows now.' },
    code: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    controlType: { type: 'string', enum: ['preventive', 'detective', 'corrective'] },
    nature: { type: 'string', enum: ['manual', 'automated', 'it-dependent-manual'] },
    frequency: { type: 'string' },
    criteria: { type: 'array', items: { type: 'string' } },
    pointsOfFocus: { type: 'array', items: { type: 'string' } },
    ownerRole: { type: 'string' },
    owner: person,
    implementation: {
      type: 'object',
      required: ['status'],
      properties: {
        status: implementationStatus,
        implementedOn: { type: 'string', format: 'date' },
        changedAt: { type: 'string', format: 'date-time' },
        notes: { type: 'string' },
        evidenceReferences: { type: 'array', items: { type: 'object' } },
      },
    },
    applicability: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['applicable', 'not-applicable'] },
        justification: { type: 'string' },
        approvedBy: person,
        markedAt: { type: 'string', format: 'date-time' },
      },
    },
    customizedFields: { type: 'array', items: { type: 'string' } },
    pendingTemplateReview: {
      type: 'object',
      properties: {
        fromVersion: { type: 'string' },
        toVersion: { type: 'string' },
        changedAspects: { type: 'array', items: { type: 'string' } },
      },
    },
    retiredFromCatalogIn: { type: 'string' },
    health: {
      ...health,
      description:
        'How well the control operates, as the monitoring service last assessed it from its tests and evidence ' +
        "(`unknown`: never assessed). A change of it moves the control's `ETag`.",
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const ADOPTION_SCHEMA = {
  type: 'object',
  required: ['controlSetId', 'catalogVersion', 'adopted'],
  properties: {
    controlSetId: { type: 'string', format: 'uuid' },
    catalogVersion: { type: 'string' },
    adopted: {
      type: 'array',
      items: {
        type: 'object',
        required: ['controlId', 'catalogControlId', 'code'],
        properties: {
          controlId: { type: 'string', format: 'uuid' },
          catalogControlId: { type: 'string' },
          code: { type: 'string' },
        },
      },
    },
  },
};

export const UPGRADE_PLAN_SCHEMA = {
  type: 'object',
  description:
    'What an upgrade would do: the catalog diff and, per adopted control, the changes and whether they apply automatically.',
  properties: {
    controlSetId: { type: 'string' },
    fromVersion: { type: 'string' },
    toVersion: { type: 'string' },
    diff: { type: 'object' },
    updates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          controlId: { type: 'string' },
          catalogControlId: { type: 'string' },
          code: { type: 'string' },
          changedFields: { type: 'array', items: { type: 'string' } },
          changedAspects: { type: 'array', items: { type: 'string' } },
          customizedFields: { type: 'array', items: { type: 'string' } },
          appliedAutomatically: { type: 'boolean' },
        },
      },
    },
    newCatalogControlIds: { type: 'array', items: { type: 'string' } },
    retiredCatalogControlIds: { type: 'array', items: { type: 'string' } },
    retiredAdoptedControls: { type: 'array', items: { type: 'object' } },
  },
};

export const UPGRADE_RESULT_SCHEMA = {
  type: 'object',
  description: 'The payload of io.attest.control-mapping.control-catalog-upgraded.v1.',
  required: [
    'controlSetId',
    'fromVersion',
    'toVersion',
    'updatedControls',
    'newCatalogControlIds',
    'retiredCatalogControlIds',
    'upgradedAt',
    'actor',
  ],
  properties: {
    controlSetId: { type: 'string', format: 'uuid' },
    fromVersion: { type: 'string' },
    toVersion: { type: 'string' },
    updatedControls: { type: 'array', items: { type: 'object' } },
    newCatalogControlIds: { type: 'array', items: { type: 'string' } },
    retiredCatalogControlIds: { type: 'array', items: { type: 'string' } },
    upgradedAt: { type: 'string', format: 'date-time' },
    actor: { type: 'object' },
  },
};

export const COVERAGE_SCHEMA = {
  type: 'object',
  required: ['controlSetId', 'catalogVersion', 'categories', 'criteria', 'summary', 'notApplicableControls'],
  properties: {
    controlSetId: { type: 'string', format: 'uuid' },
    catalogVersion: { type: 'string' },
    categories: { type: 'array', items: { type: 'string' } },
    criteria: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'criterion',
          'category',
          'series',
          'shortTitle',
          'status',
          'controls',
          'pointsOfFocus',
          'pointsOfFocusSummary',
          'missing',
          'health',
        ],
        properties: {
          criterion: { type: 'string' },
          category: { type: 'string' },
          series: { type: 'string' },
          shortTitle: { type: 'string' },
          status: {
            ...matrixStatus,
            description:
              'covered-implemented only when each point of focus is covered by an implemented control or explained ' +
              'as not applicable; gap when no control covers any of its applicable points; not-applicable when ' +
              'every point is explained; covered-not-implemented otherwise.',
          },
          controls: { type: 'array', items: coveringControlWithHealth },
          pointsOfFocus: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ref', 'heading', 'status', 'controls'],
              properties: {
                ref: { type: 'string' },
                heading: { type: 'string' },
                status: matrixStatus,
                controls: { type: 'array', items: coveringControlWithHealth },
                leftToOrganization: { type: 'string' },
                notApplicable: {
                  type: 'object',
                  required: ['justification', 'markedAt'],
                  properties: {
                    justification: { type: 'string' },
                    markedAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          pointsOfFocusSummary: matrixCounts,
          health: {
            ...health,
            description: 'The worst health of its controls (unknown when it has none).',
          },
          missing: {
            type: 'array',
            description: 'What keeps the criterion from being covered, in catalog order (empty when it is).',
            items: {
              type: 'object',
              required: ['pointOfFocusRef', 'heading', 'reason'],
              properties: {
                pointOfFocusRef: { type: 'string' },
                heading: { type: 'string' },
                reason: { type: 'string', enum: ['no-control', 'not-implemented'] },
              },
            },
          },
        },
      },
    },
    summary: {
      type: 'object',
      properties: {
        criteria: matrixCounts,
        pointsOfFocus: matrixCounts,
        health: {
          type: 'object',
          description: 'The number of criteria of each (worst) health.',
          required: health.enum,
          properties: Object.fromEntries(health.enum.map((h) => [h, { type: 'integer' }])),
        },
      },
    },
    notApplicableControls: { type: 'array', items: { type: 'string' } },
  },
};

export const FRAMEWORK_COVERAGE_SCHEMA = {
  type: 'object',
  required: ['controlSetId', 'framework', 'catalogVersion', 'targets', 'summary'],
  properties: {
    controlSetId: { type: 'string', format: 'uuid' },
    framework: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' } },
    },
    catalogVersion: { type: 'string' },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          label: { type: 'string' },
          status: coverageStatus,
          controls: { type: 'array', items: coveringControl },
          notCoveredByLibrary: { type: 'string' },
        },
      },
    },
    summary: { type: 'object' },
  },
};

/** A catalog control proposed for readiness gaps, with the catalog version its name, domain and frequency are from. */
export const PROPOSED_CONTROL_SCHEMA = {
  type: 'object',
  required: ['catalogControlId', 'status', 'inCatalog', 'highestSeverity', 'gaps', 'catalogVersion'],
  properties: {
    catalogControlId: { type: 'string' },
    status: { type: 'string', enum: ['proposed'] },
    name: { type: 'string' },
    domain: { type: 'string' },
    frequency: { type: 'string' },
    inCatalog: { type: 'boolean' },
    highestSeverity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
    gaps: { type: 'array', items: { type: 'object' } },
    catalogVersion: { type: 'string' },
  },
};

const actor = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['user', 'api-client', 'system'] },
    id: { type: 'string' },
    displayName: { type: 'string' },
  },
};

const policyVersion = {
  type: 'object',
  required: ['version', 'status', 'contentSha256', 'changeSummary', 'draftedAt', 'draftedBy'],
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'approved', 'published', 'superseded'] },
    contentSha256: { type: 'string' },
    basedOnVersion: { type: 'string' },
    changeSummary: { type: 'string' },
    draftedAt: { type: 'string', format: 'date-time' },
    draftedBy: { ...actor, description: 'Who drafted the version; someone else approves it.' },
    approval: {
      type: 'object',
      description: 'The approver (the signed-in person who approved) and when (server time).',
      required: ['approver', 'approvedAt'],
      properties: {
        approver: person,
        approvedAt: { type: 'string', format: 'date-time' },
        approvalNote: { type: 'string' },
      },
    },
    publication: {
      type: 'object',
      required: ['effectiveDate', 'publishedAt'],
      properties: {
        effectiveDate: { type: 'string', format: 'date' },
        publishedAt: { type: 'string', format: 'date-time' },
        documentUrl: { type: 'string', format: 'uri' },
      },
    },
  },
};

const roleOrDepartment = { type: 'array', items: { type: 'string' } };
const policyAudience = {
  type: 'object',
  description:
    'Who must accept the policy: `everyone` in the people directory, or the people `selected` by role, department ' +
    'and/or employment type (a person matches every list given and any value of each).',
  required: ['scope'],
  properties: {
    scope: { type: 'string', enum: ['everyone', 'selected'] },
    roles: roleOrDepartment,
    departments: roleOrDepartment,
    employmentTypes: { type: 'array', items: { type: 'string', enum: ['employee', 'contractor'] } },
  },
};

/** The last periodic review of a policy (and of one review as `POST /policies/{id}/reviews` answers it). */
const policyReviewProperties = {
  version: { type: 'string' },
  contentSha256: { type: 'string' },
  reviewer: person,
  outcome: { type: 'string', enum: ['unchanged'] },
  notes: { type: 'string' },
  reviewedAt: { type: 'string', format: 'date-time' },
};
const policyReviewRequired = ['version', 'contentSha256', 'reviewer', 'outcome', 'reviewedAt'];

export const POLICY_VERSION_SCHEMA = policyVersion;

export const POLICY_SCHEMA = {
  type: 'object',
  required: [
    'kind',
    'policyId',
    'title',
    'owner',
    'reviewFrequency',
    'controlIds',
    'criteria',
    'versions',
    'audience',
    'acceptanceRequirements',
    'acceptances',
    'lastAcceptedAt',
  ],
  properties: {
    kind: { type: 'string', enum: ['policy'] },
    policyId: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    templateId: { type: 'string' },
    catalogVersion: { type: 'string' },
    owner: person,
    reviewFrequency: { type: 'string' },
    controlIds: { type: 'array', items: { type: 'string' } },
    criteria: { type: 'array', items: { type: 'string' } },
    versions: { type: 'object', additionalProperties: policyVersion },
    publishedVersion: { type: 'string' },
    audience: policyAudience,
    lastReview: { type: 'object', required: policyReviewRequired, properties: policyReviewProperties },
    nextReviewDue: {
      type: 'string',
      format: 'date',
      description:
        'When the policy is next due for review: its review frequency after the last publication or review. ' +
        'Absent until a version is published.',
    },
    acceptanceRequirements: {
      type: 'object',
      description: 'Per version, the roles that must accept and their due dates.',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string', format: 'date' } },
    },
    acceptances: {
      type: 'object',
      description:
        'Per version, the latest acceptance id of each person who accepted it (the records: /acceptances).',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string', format: 'uuid' } },
    },
    lastAcceptedAt: {
      type: 'object',
      description: 'Per person, when they last accepted the policy (any version).',
      additionalProperties: { type: 'string', format: 'date-time' },
    },
  },
};

export const POLICY_REVIEW_SCHEMA = {
  type: 'object',
  description: 'A recorded review of the version in force, with the next review it makes due.',
  required: ['policyId', ...policyReviewRequired, 'nextReviewDue'],
  properties: {
    policyId: { type: 'string', format: 'uuid' },
    ...policyReviewProperties,
    nextReviewDue: { type: 'string', format: 'date' },
  },
};

export const POLICY_TEXT_SCHEMA = {
  type: 'object',
  required: ['version', 'contentSha256', 'content'],
  properties: { version: { type: 'string' }, contentSha256: { type: 'string' }, content: { type: 'string' } },
};

export const ACCEPTANCE_REQUIREMENT_SCHEMA = {
  type: 'object',
  required: ['policyId', 'version', 'roles', 'dueDate'],
  properties: {
    policyId: { type: 'string' },
    version: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    dueDate: { type: 'string', format: 'date' },
  },
};

export const ACCEPTANCE_SCHEMA = {
  type: 'object',
  description: 'An acceptance record: audit evidence that a person accepted a version (its text by hash).',
  required: [
    'acceptanceId',
    'policyId',
    'version',
    'person',
    'method',
    'contentSha256',
    'acceptedAt',
    'actor',
    'eventId',
    'recordedAt',
  ],
  properties: {
    acceptanceId: { type: 'string', format: 'uuid' },
    policyId: { type: 'string', format: 'uuid' },
    version: { type: 'string' },
    person,
    method: { type: 'string' },
    contentSha256: { type: 'string' },
    acceptedAt: { type: 'string', format: 'date-time' },
    actor: { type: 'object' },
    eventId: { type: 'string', format: 'uuid' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
};
