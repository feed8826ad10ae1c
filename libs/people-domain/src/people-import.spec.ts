import { DomainError, foldEvents } from '@attest/decider';
import { personDecider, type DirectoryEntry, type PersonState } from './person';
import {
  decidePeopleImport,
  matchImportRows,
  parsePeopleCsv,
  peopleDirectoryIdFor,
  type ImportPeopleCommand,
  type ImportProblem,
} from './people-import';
import type { PersonEvent } from './person-events';
import { ANA_ID, anaJoined, expectContractValid, hr, NEW_IDS, T1 } from './test-fixtures';

const HEADER = 'employee_number,name,email,employment_type,start_date,end_date,manager_email,role,department';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

/** The import of a file against a directory holding `history` (each person's events). */
function importOf(text: string, history: PersonEvent[] = []): PersonEvent[] {
  const { rows, problems } = parsePeopleCsv(text);
  expect(problems).toEqual([]);
  const people: Record<string, PersonState> = {};
  for (const e of history)
    people[e.data.personId] = personDecider.evolve(people[e.data.personId] ?? { kind: 'none' }, e);
  const directory: DirectoryEntry[] = Object.values(people).flatMap((p) =>
    p.kind === 'person'
      ? [
          {
            personId: p.personId,
            email: p.email,
            ...(p.employeeNumber ? { employeeNumber: p.employeeNumber } : {}),
          },
        ]
      : [],
  );
  const command: ImportPeopleCommand = {
    type: 'ImportPeople',
    directoryId: peopleDirectoryIdFor('acme'),
    rows,
    directory,
    newPersonIds: NEW_IDS.slice(0, rows.length),
    people: Object.fromEntries(
      matchImportRows(rows, directory).flatMap((m) => (m.personId ? [[m.personId, people[m.personId]]] : [])),
    ),
    at: T1,
    actor: hr,
  };
  return decidePeopleImport(command);
}

function problemsOf(text: string, history: PersonEvent[] = []): ImportProblem[] {
  try {
    importOf(text, history);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'people-import-invalid')
      return err.details.problems as ImportProblem[];
    throw err;
  }
  throw new Error('the import was not refused');
}

describe('reading a people CSV file', () => {
  it('reads the columns in any order, trimmed, with quoted cells, a BOM and empty lines', () => {
    const { rows, problems } = parsePeopleCsv(
      '\uFEFFname,email,employment_type,start_date,role,department\n' +
        '"Ortiz, Ana", ana@lumen.example ,employee,2026-03-02,Engineer,Engineering\n\n' +
        '"Ben\nLee",ben@lumen.example,contractor,2026-03-09,Designer,Design\n',
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        name: 'Ortiz, Ana',
        email: 'ana@lumen.example',
        employmentType: 'employee',
        startDate: '2026-03-02',
        role: 'Engineer',
        department: 'Engineering',
      },
      {
        row: 4,
        name: 'Ben\nLee',
        email: 'ben@lumen.example',
        employmentType: 'contractor',
        startDate: '2026-03-09',
        role: 'Designer',
        department: 'Design',
      },
    ]);
  });

  it('reports an unknown or missing column, a row of the wrong width, and a file that is not CSV', () => {
    expect(parsePeopleCsv('name,e-mail,employment_type,start_date,role,department\n').problems).toEqual([
      { row: 1, problem: expect.stringContaining('column 2 is not one of') },
      { row: 1, column: 'email', problem: 'is missing from the header' },
    ]);
    expect(parsePeopleCsv(csv('E-1,Ana,ana@lumen.example,employee')).problems).toEqual([
      { row: 2, problem: 'has 4 cells; the header has 9' },
    ]);
    expect(parsePeopleCsv(csv('E-1,"Ana,ana@lumen.example')).problems).toEqual([
      { row: 2, problem: 'a quoted cell is not closed' },
    ]);
    expect(parsePeopleCsv(HEADER).problems).toEqual([{ row: 1, problem: 'the file lists nobody' }]);
  });
});

describe('importing people', () => {
  it('joins new people, links managers within the file, and records a leaver (joining and leaving)', () => {
    const events = importOf(
      csv(
        'E-1,Ana Ortiz,ana@lumen.example,employee,2026-03-02,,ben@lumen.example,Engineer,Engineering',
        'E-2,Ben Lee,ben@lumen.example,employee,2025-01-06,,,Engineering manager,Engineering',
        ',Cy Diaz,cy@lumen.example,contractor,2025-05-01,2026-02-27,,Designer,Design',
      ),
    );
    expect(events.map((e) => [e.type, e.data.personId])).toEqual([
      ['PersonJoined', NEW_IDS[0]],
      ['PersonJoined', NEW_IDS[1]],
      ['PersonJoined', NEW_IDS[2]],
      ['PersonLeft', NEW_IDS[2]],
    ]);
    expect(events[0].data).toMatchObject({ managerPersonId: NEW_IDS[1], employeeNumber: 'E-1' });
    expect(events[2].data).not.toHaveProperty('employeeNumber');
    expect(events[3].data).toMatchObject({ endDate: '2026-02-27' });
    expectContractValid(events);
  });

  it('changes what differs for known people (matched by employee number, else e-mail), and records leavers', () => {
    const known = csv('E-100,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,,Engineer,Engineering');
    expect(importOf(known, [anaJoined])).toEqual([]);
    const events = importOf(
      csv('E-100,Ana Ortiz,ana@lumen.example,employee,2026-03-02,2026-09-30,,Staff engineer,Engineering'),
      [anaJoined],
    );
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'PersonDetailsChanged',
        expect.objectContaining({
          personId: ANA_ID,
          changes: { email: 'ana@lumen.example', role: 'Staff engineer' },
        }),
      ],
      ['PersonLeft', expect.objectContaining({ personId: ANA_ID, endDate: '2026-09-30' })],
    ]);
    const byEmail = importOf(
      csv(',Ana Ortiz,ANA.ORTIZ@lumen.example,contractor,2026-03-02,,,Engineer,Engineering'),
      [anaJoined],
    );
    expect(byEmail).toEqual([
      expect.objectContaining({
        type: 'PersonDetailsChanged',
        data: expect.objectContaining({ personId: ANA_ID }),
      }),
    ]);
    const left = foldEvents(personDecider, [anaJoined, ...events]);
    expect(left).toMatchObject({ departure: { endDate: '2026-09-30' } });
  });

  it('refuses the whole file, listing every problem by row, when any row is wrong', () => {
    const problems = problemsOf(
      csv(
        'E-1,Ana Ortiz,ana@lumen.example,employee,2026-03-02,,,Engineer,Engineering',
        'E-2,,ben@lumen.example,staff,2026-13-01,,,Engineer,Engineering',
        'E-1,Cy Diaz,ANA@lumen.example,employee,2026-03-02,,,Engineer,Engineering',
        'E-4,Dee Fox,dee@lumen.example,employee,2026-03-02,2026-01-31,nobody@lumen.example,Engineer,Engineering',
        'E-5,Eve Gray,eve@lumen.example,employee,2026-03-02,2026-01-31,,Engineer,Engineering',
      ),
    );
    expect(problems).toEqual([
      { row: 3, column: 'name', problem: 'is blank' },
      { row: 3, column: 'employment_type', problem: 'is not one of employee, contractor' },
      { row: 3, column: 'start_date', problem: 'is not a date YYYY-MM-DD' },
      { row: 4, column: 'email', problem: 'repeats row 2' },
      { row: 4, column: 'employee_number', problem: 'repeats row 2' },
      { row: 5, column: 'manager_email', problem: 'is nobody in the file or the directory' },
      { row: 6, column: 'end_date', problem: 'end date 2026-01-31 is before start date 2026-03-02' },
    ]);
  });

  it('refuses a row that clashes with the directory or contradicts a recorded departure', () => {
    const anaLeft: PersonEvent = {
      type: 'PersonLeft',
      data: { personId: ANA_ID, endDate: '2026-06-30', leftAt: T1, actor: hr },
    };
    expect(
      problemsOf(csv('E-9,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,,Engineer,Engineering'), [
        anaJoined,
      ]),
    ).toEqual([
      {
        row: 2,
        column: 'employee_number',
        problem: 'the e-mail address belongs to the person with employee number E-100',
      },
    ]);
    expect(
      problemsOf(csv('E-100,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,,Engineer,Engineering'), [
        anaJoined,
        anaLeft,
      ]),
    ).toEqual([
      { row: 2, column: 'end_date', problem: 'the person left on 2026-06-30; the row must say so' },
    ]);
    expect(
      importOf(
        csv('E-100,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,2026-06-30,,Engineer,Engineering'),
        [anaJoined, anaLeft],
      ),
    ).toEqual([]);
    // Someone the directory knows without an employee number gets the file's.
    expect(
      importOf(csv('E-7,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,,Engineer,Engineering'), [
        { ...anaJoined, data: { ...anaJoined.data, employeeNumber: undefined } } as PersonEvent,
      ]),
    ).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ changes: { employeeNumber: 'E-7' } }) }),
    ]);
  });
});
