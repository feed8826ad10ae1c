import { decodeJwt } from 'jose';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import {
  accessToken,
  startControlMapping,
  storeDump,
  USERS,
  type RunningControlMapping,
} from '../testing/control-mapping-test-app';

jest.setTimeout(120_000);

const HEADER = 'employee_number,name,email,employment_type,start_date,end_date,manager_email,role,department';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const owner = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };

/**
 * The people directory and who owes which policy acceptance, against the real servers (PostgreSQL, the identity
 * provider's tokens) with the service's clock set by the test: 14 days to accept, again every 12 months.
 */
describe('people and policy acceptance obligations (real PostgreSQL and identity provider)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  const clock = settableClock('2026-03-02T09:00:00.000Z');
  const admin = () => service.as(USERS.admin);
  let policyId = '';

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_people');
    service = await startControlMapping({
      pool: db.pool,
      clock,
      policyAcceptance: { joinerAcceptanceDays: 14, reacceptanceMonths: 12 },
    });
    // A policy in force from 2 March 2026 for everyone: drafted by the admin, approved by the compliance manager.
    policyId = (await admin().post('/policies').send({ templateId: 'access-control', owner }).expect(201))
      .body.policyId;
    await service.as(USERS.manager).post(`/policies/${policyId}/versions/1.0.0/approve`).send({}).expect(200);
    await admin()
      .post(`/policies/${policyId}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2026-03-02' })
      .expect(200);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const importFile = (text: string) =>
    admin().post('/people/imports').set('Content-Type', 'text/csv').send(text);
  const obligationsOf = async (personId: string) =>
    (await admin().get(`/policy-acceptance-obligations?personId=${personId}`).expect(200)).body.items;
  const personNamed = async (name: string) =>
    (await admin().get('/people?limit=100').expect(200)).body.items.find(
      (p: { displayName: string }) => p.displayName === name,
    );

  it('imports the HR file (joiners, a manager named in the file, a leaver) and then only what changed', async () => {
    const file = [
      'E-1,Ana Ortiz,ana.ortiz@lumen.example,employee,2026-03-02,,ben.lee@lumen.example,Engineer,Engineering',
      'E-2,Ben Lee,ben.lee@lumen.example,employee,2024-01-08,,,Engineering manager,Engineering',
      ',Cy Diaz,cy.diaz@lumen.example,contractor,2025-05-01,2026-02-27,,Designer,Design',
    ];
    expect((await importFile(csv(...file)).expect(200)).body).toEqual({
      rows: 3,
      joined: 3,
      changed: 0,
      left: 1,
      unchanged: 0,
    });
    const active = (await admin().get('/people?status=active').expect(200)).body.items;
    expect(active.map((p: { displayName: string }) => p.displayName)).toEqual(['Ana Ortiz', 'Ben Lee']);
    expect(active[0]).toMatchObject({
      managerPersonId: active[1].personId,
      status: 'active',
      employeeNumber: 'E-1',
    });
    const left = (await admin().get('/people?status=left').expect(200)).body.items;
    expect(left).toEqual([
      expect.objectContaining({ displayName: 'Cy Diaz', endDate: '2026-02-27', status: 'left' }),
    ]);

    const promoted = file[0].replace(',Engineer,', ',Staff engineer,');
    expect((await importFile(csv(promoted, file[1], file[2])).expect(200)).body).toEqual({
      rows: 3,
      joined: 0,
      changed: 1,
      left: 0,
      unchanged: 2,
    });
    const ana = await admin().get(`/people/${active[0].personId}`).expect(200);
    expect(ana.body.role).toBe('Staff engineer');
    expect(ana.headers['etag']).toBe('"2"');
  });

  it('refuses a file with a bad row as a whole, listing the problems by row, and writes nothing', async () => {
    const before = await storeDump(db.pool);
    const res = await importFile(
      csv(
        'E-7,Gil Moss,gil.moss@lumen.example,employee,2026-03-09,,,Analyst,Finance',
        'E-8,Hana Ito,hana.ito@lumen.example,permanent,2026-03-09,,,Analyst,Finance',
      ),
    ).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'people-import-invalid' });
    expect(res.body.details.problems).toEqual([
      { row: 3, column: 'employment_type', problem: 'is not one of employee, contractor' },
    ]);
    const clash = await importFile(
      csv('E-1,Ana Ortiz,ben.lee@lumen.example,employee,2026-03-02,,,Staff engineer,Engineering'),
    ).expect(422);
    expect(clash.body.details.problems).toEqual([
      { row: 2, column: 'email', problem: 'another person of the directory has this e-mail address' },
    ]);
    // The import takes only CSV, and only the import takes CSV.
    await admin().post('/people/imports').send({ csv: 'name' }).expect(415);
    await admin().post('/people').set('Content-Type', 'text/csv').send(csv()).expect(400);
    // The import is its own resource, not a person whose id is "imports": another method is 405, not a bad id.
    const read = await admin().get('/people/imports').expect(405);
    expect(read.headers['allow']).toBe('OPTIONS, POST');
    expect(await storeDump(db.pool)).toEqual(before);
  });

  it('makes a joiner overdue after the configured days, and their departure clears it', async () => {
    const dee = (
      await admin()
        .post('/people')
        .send({
          displayName: 'Dee Fox',
          email: 'Dee.Fox@lumen.example',
          employmentType: 'employee',
          startDate: '2026-03-02',
          role: 'Support agent',
          department: 'Support',
        })
        .expect(201)
    ).body;
    expect(dee).toMatchObject({ email: 'dee.fox@lumen.example', status: 'active' });
    const due = { personId: dee.personId, policyId, version: '1.0.0', dueDate: '2026-03-16' };
    expect(await obligationsOf(dee.personId)).toEqual([{ ...due, status: 'pending' }]);

    clock.set('2026-03-16T23:00:00.000Z');
    expect(await obligationsOf(dee.personId)).toEqual([{ ...due, status: 'pending' }]);
    clock.set('2026-03-17T08:00:00.000Z');
    expect(await obligationsOf(dee.personId)).toEqual([{ ...due, status: 'overdue' }]);
    const overdue = (await admin().get('/policy-acceptance-obligations?status=overdue').expect(200)).body
      .items;
    expect(overdue).toContainEqual({ ...due, status: 'overdue' });

    const left = await admin()
      .post(`/people/${dee.personId}/departure`)
      .send({ endDate: '2026-03-17', reason: 'Resignation' })
      .expect(200);
    expect(left.body).toMatchObject({
      status: 'left',
      endDate: '2026-03-17',
      departureReason: 'Resignation',
    });
    expect(await obligationsOf(dee.personId)).toEqual([]);
    await admin().post(`/people/${dee.personId}/departure`).send({ endDate: '2026-03-18' }).expect(409);
  });

  it('starts the yearly re-acceptance on schedule after the person accepted', async () => {
    clock.set('2026-03-20T10:00:00.000Z');
    const subjectId = decodeJwt(await accessToken(USERS.employee)).sub as string;
    const eve = (
      await admin()
        .post('/people')
        .send({
          displayName: 'Eve Gray',
          email: 'eve.gray@lumen.example',
          employmentType: 'employee',
          startDate: '2026-03-16',
          role: 'Engineer',
          department: 'Engineering',
          subjectId,
        })
        .expect(201)
    ).body;
    expect(await obligationsOf(eve.personId)).toEqual([
      expect.objectContaining({ status: 'pending', dueDate: '2026-03-30' }),
    ]);
    const policy = (await admin().get(`/policies/${policyId}`).expect(200)).body;
    await service
      .as(USERS.employee)
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: policy.versions['1.0.0'].contentSha256 })
      .expect(201);

    const renewal = {
      personId: eve.personId,
      policyId,
      version: '1.0.0',
      dueDate: '2027-04-03',
      lastAcceptedAt: '2026-03-20T10:00:00.000Z',
    };
    expect(await obligationsOf(eve.personId)).toEqual([{ ...renewal, status: 'satisfied' }]);
    clock.set('2027-03-19T23:00:00.000Z');
    expect(await obligationsOf(eve.personId)).toEqual([{ ...renewal, status: 'satisfied' }]);
    clock.set('2027-03-20T00:00:00.000Z');
    expect(await obligationsOf(eve.personId)).toEqual([{ ...renewal, status: 'pending' }]);
    clock.set('2027-04-04T00:00:00.000Z');
    expect(await obligationsOf(eve.personId)).toEqual([{ ...renewal, status: 'overdue' }]);
    // Accepting the same version again renews it for another year.
    await service
      .as(USERS.employee)
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: policy.versions['1.0.0'].contentSha256 })
      .expect(201);
    expect(await obligationsOf(eve.personId)).toEqual([
      { ...renewal, dueDate: '2028-04-18', lastAcceptedAt: '2027-04-04T00:00:00.000Z', status: 'satisfied' },
    ]);
    expect(await personNamed('Eve Gray')).toMatchObject({ subjectId });
  });
});
