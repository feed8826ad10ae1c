/** JSON Schema of an access-log entry for the OpenAPI document (type: AuditorAccess of @attest/service-kit). */
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
    actorId: { type: 'string', example: 'user:5b0c…' },
    email: { type: 'string', nullable: true, format: 'email', description: "The auditor's verified e-mail." },
    method: { type: 'string', example: 'GET' },
    route: { type: 'string', description: 'The route template.', example: '/v1/evidence-items/:id' },
    path: { type: 'string', description: 'The path requested, without the query.' },
    status: { type: 'integer', description: 'The status answered (refusals too).' },
    at: { type: 'string', format: 'date-time' },
  },
};
