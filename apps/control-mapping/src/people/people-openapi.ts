import { PEOPLE_CSV_COLUMNS } from '@attest/people-domain';

/** JSON Schemas of the people routes' answers, for the OpenAPI document (the types live in people-read-model.ts). */

const date = { type: 'string', format: 'date' };

export const PERSON_SCHEMA = {
  type: 'object',
  required: [
    'personId',
    'displayName',
    'email',
    'employmentType',
    'startDate',
    'role',
    'department',
    'status',
    'joinedAt',
  ],
  properties: {
    personId: { type: 'string', format: 'uuid' },
    employeeNumber: { type: 'string' },
    displayName: { type: 'string', description: '`[erased]` once the person was forgotten.' },
    email: { type: 'string', description: '`[erased]` once the person was forgotten.' },
    employmentType: { type: 'string', enum: ['employee', 'contractor'] },
    startDate: date,
    endDate: { ...date, description: 'Their last working day, once their departure is recorded.' },
    departureReason: { type: 'string' },
    managerPersonId: { type: 'string', format: 'uuid' },
    role: { type: 'string' },
    department: { type: 'string' },
    subjectId: { type: 'string' },
    status: {
      type: 'string',
      enum: ['active', 'left'],
      description: 'Left once their end date has come (a departure with a later end date is still active).',
    },
    joinedAt: { type: 'string', format: 'date-time' },
  },
};

export const PEOPLE_IMPORT_SCHEMA = {
  type: 'object',
  required: ['rows', 'joined', 'changed', 'left', 'unchanged'],
  properties: {
    rows: { type: 'integer', description: 'People rows in the file.' },
    joined: { type: 'integer', description: 'New people.' },
    changed: { type: 'integer', description: 'Known people whose details changed.' },
    left: {
      type: 'integer',
      description: 'Departures recorded (a new person with an end date also joined).',
    },
    unchanged: { type: 'integer', description: 'Rows that said what the directory already said.' },
  },
};

export const PEOPLE_CSV_BODY = {
  description:
    `A UTF-8 CSV file with a header row naming its columns (any order): ${PEOPLE_CSV_COLUMNS.join(', ')}. ` +
    'employee_number, end_date and manager_email may be left out (a left-out column changes nothing); ' +
    'employment_type is employee or contractor, dates are YYYY-MM-DD, manager_email names someone in the file or ' +
    'the directory (empty: no manager). Rows are matched to the directory by employee number, else by e-mail ' +
    'address. Every row is checked first: any problem refuses the whole file with 422 ' +
    '`people-import-invalid`, whose `details.problems` lists `{ row, column?, problem }` (row = the line the row ' +
    'starts on; the header is line 1), and nothing is imported.',
  required: true,
  // With @ApiConsumes('text/csv'), the document gives this schema to the text/csv body.
  schema: {
    type: 'string',
    maxLength: 3_000_000,
    example:
      'employee_number,name,email,employment_type,start_date,end_date,manager_email,role,department\n' +
      'E-1042,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,ben.lee@lumen.example,Engineer,Engineering\n' +
      'E-1001,Ben Lee,ben.lee@lumen.example,employee,2024-01-08,,,Engineering manager,Engineering\n',
  },
};

export const ACCEPTANCE_OBLIGATION_SCHEMA = {
  type: 'object',
  required: ['personId', 'policyId', 'version', 'dueDate', 'status'],
  properties: {
    personId: { type: 'string', format: 'uuid' },
    policyId: { type: 'string', format: 'uuid' },
    version: { type: 'string', description: 'The version in force, to be accepted.' },
    dueDate: { ...date, description: 'The last day to accept (for a satisfied one: the next acceptance).' },
    status: {
      type: 'string',
      enum: ['pending', 'overdue', 'satisfied'],
      description: 'Overdue from the day after the due date; satisfied until the yearly renewal opens.',
    },
    lastAcceptedAt: {
      type: 'string',
      format: 'date-time',
      description: 'Their last acceptance of the policy.',
    },
  },
};
