import { parse } from 'csv-parse/sync';
import { uuidV5 } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import type { Actor, EmploymentType } from '@attest/control-mapping-domain';
import { isCalendarDate } from './calendar';
import {
  normalizeEmail,
  personDecider,
  type DetailProblem,
  type DirectoryEntry,
  type PersonCommand,
  type PersonState,
} from './person';
import type { PersonDetailChanges, PersonDetails, PersonEvent } from './person-events';

/** The columns of a people CSV file, in the order of the documented header row. */
export const PEOPLE_CSV_COLUMNS = [
  'employee_number',
  'name',
  'email',
  'employment_type',
  'start_date',
  'end_date',
  'manager_email',
  'role',
  'department',
] as const;
type Column = (typeof PEOPLE_CSV_COLUMNS)[number];

/** Columns every file has; the others may be left out (then nothing is read or changed from them). */
const REQUIRED_COLUMNS: readonly Column[] = [
  'name',
  'email',
  'employment_type',
  'start_date',
  'role',
  'department',
];

/** The column a field of a person's record is read from, to point problems at what the file says. */
const COLUMN_OF: Record<keyof PersonDetails, Column | undefined> = {
  employeeNumber: 'employee_number',
  displayName: 'name',
  email: 'email',
  employmentType: 'employment_type',
  startDate: 'start_date',
  managerPersonId: 'manager_email',
  role: 'role',
  department: 'department',
  subjectId: undefined,
};

/** One row of the file, as read (trimmed; an empty optional cell is absent). */
export interface PeopleCsvRow {
  /** The line of the file the row starts on; the header is line 1. */
  row: number;
  employeeNumber?: string;
  name: string;
  email: string;
  employmentType: string;
  startDate: string;
  endDate?: string;
  /** `undefined` when the file has no manager_email column (managers stay as they are); '' for no manager. */
  managerEmail?: string;
  role: string;
  department: string;
}

/** What is wrong with a row (or, row 1, the header), never quoting the cell's value. */
export interface ImportProblem {
  row: number;
  column?: Column;
  problem: string;
}

const PARSE_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote is not where a quoted cell ends',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote',
};

/**
 * Reads a people CSV file (UTF-8, comma-separated, a header row naming the columns in any order) into rows, and
 * lists what makes rows unreadable: an unknown or missing column, a row with another number of cells than the
 * header, a file that is not CSV. Empty lines are skipped. The rows' content is checked by the import itself.
 */
export function parsePeopleCsv(text: string): { rows: PeopleCsvRow[]; problems: ImportProblem[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ends (the library's types do not model this option).
    records = parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (err) {
    const { code, lines } = err as { code?: string; lines?: number };
    return {
      rows: [],
      problems: [{ row: lines ?? 1, problem: PARSE_PROBLEMS[code ?? ''] ?? `the file is not CSV (${code})` }],
    };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ row: 1, problem: 'the file is empty' }] };
  const columns = header.record.map((name) => name.toLowerCase());
  const problems: ImportProblem[] = [];
  columns.forEach((name, i) => {
    if (!(PEOPLE_CSV_COLUMNS as readonly string[]).includes(name))
      problems.push({ row: 1, problem: `column ${i + 1} is not one of ${PEOPLE_CSV_COLUMNS.join(', ')}` });
    else if (columns.indexOf(name) !== i)
      problems.push({ row: 1, column: name as Column, problem: 'is a column twice' });
  });
  for (const column of REQUIRED_COLUMNS)
    if (!columns.includes(column)) problems.push({ row: 1, column, problem: 'is missing from the header' });
  if (problems.length) return { rows: [], problems };
  if (body.length === 0) return { rows: [], problems: [{ row: 1, problem: 'the file lists nobody' }] };

  const rows: PeopleCsvRow[] = [];
  for (const { record, info } of body) {
    // csv-parse counts lines up to the row's end; a quoted cell may span lines.
    const row = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== columns.length) {
      problems.push({ row, problem: `has ${record.length} cells; the header has ${columns.length}` });
      continue;
    }
    const cell = (column: Column) => {
      const i = columns.indexOf(column);
      return i < 0 ? undefined : record[i];
    };
    const optional = (column: Column) => cell(column) || undefined;
    rows.push({
      row,
      ...(optional('employee_number') ? { employeeNumber: optional('employee_number') } : {}),
      name: cell('name') ?? '',
      email: cell('email') ?? '',
      employmentType: cell('employment_type') ?? '',
      startDate: cell('start_date') ?? '',
      ...(optional('end_date') ? { endDate: optional('end_date') } : {}),
      ...(cell('manager_email') !== undefined ? { managerEmail: cell('manager_email') } : {}),
      role: cell('role') ?? '',
      department: cell('department') ?? '',
    });
  }
  return { rows, problems };
}

/** Namespace of the people directory's derived ids (a fixed random UUID; never change it). */
const PEOPLE_ID_NAMESPACE = '5b1f0c3e-8d2a-4f67-9e14-73c0a9d2b58e';

/**
 * The id naming an organization's people directory. An import decides over many people at once; the pipeline runs
 * it against this stream, which never holds events itself (each event goes to its person's stream).
 */
export function peopleDirectoryIdFor(tenantId: string): string {
  return uuidV5(`people-directory:${tenantId}`, PEOPLE_ID_NAMESPACE);
}

export const PEOPLE_DIRECTORY_STREAM_TYPE = 'people-directory';

export interface ImportPeopleCommand {
  type: 'ImportPeople';
  directoryId: string;
  rows: PeopleCsvRow[];
  /** Everyone of the directory, as the read model knows them: rows are matched to them, and must not clash. */
  directory: DirectoryEntry[];
  /** One fresh id per row, used when the row is someone new. */
  newPersonIds: string[];
  /** The current state of the people the rows match (see {@link matchImportRows}), read from their streams. */
  people: Record<string, PersonState>;
  at: string;
  actor: Actor;
}

/**
 * Who each row is: the person of the directory with the row's employee number, or else with its e-mail address;
 * `undefined` for someone new. A row whose e-mail address belongs to someone with another employee number is a
 * problem (two records would describe one person).
 */
export function matchImportRows(
  rows: PeopleCsvRow[],
  directory: DirectoryEntry[],
): { personId?: string; problem?: ImportProblem }[] {
  return rows.map((row) => {
    const byNumber = row.employeeNumber
      ? directory.find((d) => d.employeeNumber === row.employeeNumber)
      : undefined;
    if (byNumber) return { personId: byNumber.personId };
    const byEmail = directory.find((d) => d.email === normalizeEmail(row.email));
    if (byEmail?.employeeNumber && row.employeeNumber)
      return {
        personId: byEmail.personId,
        problem: {
          row: row.row,
          column: 'employee_number',
          problem: `the e-mail address belongs to the person with employee number ${byEmail.employeeNumber}`,
        },
      };
    return { personId: byEmail?.personId };
  });
}

/** Problems of rows that repeat an e-mail address or employee number of an earlier row. */
function duplicateProblems(rows: PeopleCsvRow[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const seen = { email: new Map<string, number>(), employee_number: new Map<string, number>() };
  for (const row of rows)
    for (const [column, value] of [
      ['email', normalizeEmail(row.email)],
      ['employee_number', row.employeeNumber],
    ] as const) {
      if (!value) continue;
      const first = seen[column].get(value);
      if (first !== undefined) problems.push({ row: row.row, column, problem: `repeats row ${first}` });
      else seen[column].set(value, row.row);
    }
  return problems;
}

function detailProblems(row: number, problems: DetailProblem[]): ImportProblem[] {
  return problems.map((p) => ({
    row,
    ...(COLUMN_OF[p.field] ? { column: COLUMN_OF[p.field] } : {}),
    problem: p.problem,
  }));
}

/** The column a person's refusal is about, for the row's problem. */
const COLUMN_OF_REFUSAL: Record<string, Column> = {
  'person-email-taken': 'email',
  'employee-number-taken': 'employee_number',
  'person-already-left': 'end_date',
  'end-before-start': 'end_date',
  'manager-is-self': 'manager_email',
};

/**
 * What a people file changes, all or nothing: every row is checked first (its cells, duplicates within the file,
 * clashes with the directory, the person's own rules: no end before start, leaving once), and any problem refuses
 * the whole file (`people-import-invalid`, listing each problem by row). Otherwise new people join, the details of
 * known people change where the file differs, and those with an end date leave (someone new with an end date joins
 * and leaves). A row that says what the directory already says adds nothing.
 */
export function decidePeopleImport(command: ImportPeopleCommand): PersonEvent[] {
  const { rows } = command;
  if (command.newPersonIds.length !== rows.length) throw new TypeError('one new person id per row is needed');
  const problems = duplicateProblems(rows);
  // A repeated row is reported once, as a repeat, and left out of the rest.
  const repeated = new Set(problems.map((p) => p.row));
  const matches = matchImportRows(rows, command.directory);
  const ids = rows.map((_, i) => matches[i].personId ?? command.newPersonIds[i]);
  for (const m of matches) if (m.problem) problems.push(m.problem);

  // Those in the file hold what the file says; the rest of the directory what it holds.
  const inFile = new Set(ids);
  const holders: DirectoryEntry[] = [
    ...command.directory.filter((d) => !inFile.has(d.personId)),
    ...rows.flatMap((row, i) =>
      repeated.has(row.row)
        ? []
        : [
            {
              personId: ids[i],
              email: normalizeEmail(row.email),
              ...(row.employeeNumber ? { employeeNumber: row.employeeNumber } : {}),
            },
          ],
    ),
  ];
  const byEmail = new Map(holders.map((h) => [h.email, h.personId]));

  const events: PersonEvent[] = [];
  rows.forEach((row, i) => {
    if (repeated.has(row.row) || matches[i].problem) return;
    const personId = ids[i];
    const rowProblems: ImportProblem[] = [];
    if (row.endDate !== undefined && !isCalendarDate(row.endDate))
      rowProblems.push({ row: row.row, column: 'end_date', problem: 'is not a date YYYY-MM-DD' });
    let managerPersonId: string | null | undefined;
    if (row.managerEmail) {
      managerPersonId = byEmail.get(normalizeEmail(row.managerEmail));
      if (!managerPersonId)
        rowProblems.push({
          row: row.row,
          column: 'manager_email',
          problem: 'is nobody in the file or the directory',
        });
    } else if (row.managerEmail === '') managerPersonId = null;
    if (rowProblems.length) {
      problems.push(...rowProblems);
      return;
    }

    const details = {
      ...(row.employeeNumber ? { employeeNumber: row.employeeNumber } : {}),
      displayName: row.name,
      email: row.email,
      employmentType: row.employmentType as EmploymentType,
      startDate: row.startDate,
      role: row.role,
      department: row.department,
    };
    const base = { personId, at: command.at, actor: command.actor };
    let state: PersonState = command.people[personId] ?? { kind: 'none' };
    const decide = (c: PersonCommand) => {
      const decided = personDecider.decide(c, state);
      for (const e of decided) state = personDecider.evolve(state, e);
      events.push(...decided);
    };
    try {
      if (state.kind === 'none')
        decide({
          type: 'JoinPerson',
          ...base,
          details: { ...details, ...(managerPersonId ? { managerPersonId } : {}) },
          holders,
        });
      else
        decide({
          type: 'ChangePersonDetails',
          ...base,
          details: {
            ...details,
            ...(managerPersonId !== undefined ? { managerPersonId } : {}),
          } satisfies PersonDetailChanges,
          holders,
        });
      const left = state.kind === 'person' ? state.departure : undefined;
      if (row.endDate && !left) decide({ type: 'RecordDeparture', ...base, endDate: row.endDate });
      else if (left && row.endDate !== left.endDate)
        problems.push({
          row: row.row,
          column: 'end_date',
          problem: `the person left on ${left.endDate}; the row must say so`,
        });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'invalid-person-details')
        problems.push(...detailProblems(row.row, err.details.problems as DetailProblem[]));
      else
        problems.push({
          row: row.row,
          ...(COLUMN_OF_REFUSAL[err.code] ? { column: COLUMN_OF_REFUSAL[err.code] } : {}),
          problem: err.message,
        });
    }
  });

  if (problems.length) throw importRefused(problems);
  return events;
}

/** The refusal of a file: nothing is imported, and every problem is listed by row. */
export function importRefused(problems: ImportProblem[]): DomainError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const rows = new Set(sorted.map((p) => p.row)).size;
  return new DomainError(
    'people-import-invalid',
    `${rows} row${rows === 1 ? '' : 's'} of the file ${rows === 1 ? 'has' : 'have'} problems; nothing was imported`,
    { problems: sorted },
  );
}

/**
 * The import as a decider over the organization's people directory: its decision spans the people's streams (the
 * app routes each event to its person's stream), and the directory stream itself stays empty.
 */
export const peopleImportDecider: Decider<ImportPeopleCommand, PersonEvent, Record<string, never>> = {
  initialState: () => ({}),
  evolve: (state) => state,
  decide: (command) => decidePeopleImport(command),
};
