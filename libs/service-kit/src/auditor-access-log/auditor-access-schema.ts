/**
 * JSON Schema of an access-log entry (AuditorAccess) for the OpenAPI documents: every service that serves its
 * access log answers the same shape.
 */
export const AUDITOR_ACCESS_SCHEMA = {
  type: 'object',
  required: [
    'accessId',
    'tenantId',
    'engagementId',
    'actorId',
    'email',
    'method',
    'route',
    'path',
    'status',
    'at',
  ],
  properties: {
    accessId: { type: 'integer', minimum: 1 },
    tenantId: { type: 'string' },
    engagementId: {
      type: 'string',
      nullable: true,
      description:
        'The engagement whose grant the request used (null: several applied and the route named none).',
    },
    actorId: { type: 'string', description: '`user:<sub>` of the auditor at the identity provider.' },
    email: { type: 'string', nullable: true, format: 'email', description: "The auditor's verified e-mail." },
    method: { type: 'string', example: 'GET' },
    route: { type: 'string', description: 'The route template, its parameters as `:name`.' },
    path: { type: 'string', description: 'The path requested, without the query.' },
    status: { type: 'integer', description: 'The status answered (refusals too).' },
    at: { type: 'string', format: 'date-time' },
  },
};
