import { decodeJwt } from 'jose';
import { contentSha256 } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import { ControlMappingReadModel } from './read-model/control-mapping-read-model';
import {
  accessToken,
  ACME,
  startControlMapping,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

jest.setTimeout(120_000);

/**
 * The policy rules an auditor relies on, through the HTTP API with the identity provider's tokens: the compliance
 * manager drafts (adopting a template drafts 1.0.0), the admin holds the approver permission, the employee and the
 * control owner accept. Who approves, accepts or reviews is the caller; when is the service's clock.
 */
describe('policy approval, acceptance and review (PostgreSQL, real tokens)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let drafter: UserClient;
  let approver: UserClient;
  let employee: UserClient;
  const clock = settableClock('2026-03-02T09:00:00.000Z');
  let policyId: string;
  const texts: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_policy_rules');
    service = await startControlMapping({ pool: db.pool, clock });
    drafter = service.as(USERS.manager);
    approver = service.as(USERS.admin);
    employee = service.as(USERS.employee);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const events = async () =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  const subjectOf = async (user: string) => decodeJwt(await accessToken(user));
  const problem = (res: { status: number; body: { type?: string } }) => [res.status, res.body.type];
  const domain = (code: string) => `urn:attest:problem:domain:${code}`;

  it('refuses the drafter as approver; another person with the approver permission approves, at the server’s time', async () => {
    const adopted = await drafter
      .post('/policies')
      .send({ templateId: 'access-control', owner: { personId: (await subjectOf(USERS.manager)).sub } })
      .expect(201);
    policyId = adopted.body.policyId;
    texts['1.0.0'] = (await drafter.get(`/policies/${policyId}/versions/1.0.0`).expect(200)).body.content;

    const before = await events();
    const byDrafter = await drafter.post(`/policies/${policyId}/versions/1.0.0/approve`).send({});
    expect(problem(byDrafter)).toEqual([409, domain('approver-is-drafter')]);
    const byEmployee = await employee.post(`/policies/${policyId}/versions/1.0.0/approve`).send({});
    expect(problem(byEmployee)).toEqual([403, 'urn:attest:problem:forbidden']);
    const namingSomeoneElse = await approver
      .post(`/policies/${policyId}/versions/1.0.0/approve`)
      .send({ approver: { personId: (await subjectOf(USERS.owner)).sub } });
    expect(problem(namingSomeoneElse)).toEqual([400, 'urn:attest:problem:validation']);
    expect(await events()).toBe(before);

    clock.advance(60_000);
    const admin = await subjectOf(USERS.admin);
    const approved = await approver.post(`/policies/${policyId}/versions/1.0.0/approve`).send({}).expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      draftedBy: { type: 'user', id: (await subjectOf(USERS.manager)).sub },
      approval: { approver: { personId: admin.sub }, approvedAt: '2026-03-02T09:01:00.000Z' },
    });
  });

  it('refuses an acceptance before publication, and an effective date before the approval', async () => {
    const early = await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: contentSha256(texts['1.0.0']) });
    expect(problem(early)).toEqual([409, domain('policy-version-not-published')]);
    const backdated = await drafter
      .post(`/policies/${policyId}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2026-03-01' });
    expect(problem(backdated)).toEqual([422, domain('effective-date-before-approval')]);

    clock.advance(60_000);
    const published = await drafter
      .post(`/policies/${policyId}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2026-03-02' })
      .expect(200);
    expect(published.body.publication).toMatchObject({
      effectiveDate: '2026-03-02',
      publishedAt: '2026-03-02T09:02:00.000Z',
    });
    expect((await drafter.get(`/policies/${policyId}`).expect(200)).body.nextReviewDue).toBe('2027-03-02');
  });

  it('records only the signed-in person’s own acceptance, at the server’s time, of the text they read', async () => {
    const read = contentSha256(texts['1.0.0']);
    const forSomeoneElse = await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: read, person: { personId: (await subjectOf(USERS.owner)).sub } });
    expect(problem(forSomeoneElse)).toEqual([400, 'urn:attest:problem:validation']);
    const backdated = await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: read, acceptedAt: '2026-01-01T00:00:00Z' });
    expect(problem(backdated)).toEqual([400, 'urn:attest:problem:validation']);
    const otherText = await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: contentSha256(`${texts['1.0.0']}\nAn extra line.\n`) });
    expect(problem(otherText)).toEqual([409, domain('policy-version-hash-mismatch')]);

    clock.advance(60_000);
    const me = await subjectOf(USERS.employee);
    const accepted = await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: read })
      .expect(201);
    expect(accepted.body).toMatchObject({
      person: { personId: me.sub },
      actor: { type: 'user', id: me.sub },
      contentSha256: read,
      acceptedAt: '2026-03-02T09:03:00.000Z',
    });
    const owner = await subjectOf(USERS.owner);
    expect((await drafter.get(`/policies/${policyId}/acceptances?personId=${owner.sub}`)).body.items).toEqual(
      [],
    );
  });

  it('refuses an acceptance of a superseded version; the version in force is accepted by its own hash, as the directory’s person', async () => {
    texts['1.1.0'] = `${texts['1.0.0']}\nAccess is reviewed every quarter.\n`;
    await drafter
      .post(`/policies/${policyId}/versions`)
      .send({ content: texts['1.1.0'], changeSummary: 'Quarterly access reviews.' })
      .expect(201);
    clock.advance(60_000);
    await approver.post(`/policies/${policyId}/versions/1.1.0/approve`).send({}).expect(200);
    await drafter
      .post(`/policies/${policyId}/versions/1.1.0/publish`)
      .send({ effectiveDate: '2026-03-09' })
      .expect(200);

    const owner = service.as(USERS.owner);
    const superseded = await owner
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256: contentSha256(texts['1.0.0']) });
    expect(problem(superseded)).toEqual([409, domain('policy-version-superseded')]);
    const oldText = await owner
      .post(`/policies/${policyId}/versions/1.1.0/acceptances`)
      .send({ contentSha256: contentSha256(texts['1.0.0']) });
    expect(problem(oldText)).toEqual([409, domain('policy-version-hash-mismatch')]);
    // The control owner is in the people directory, linked by their subject: their acceptance is that person's.
    const ownerSubject = (await subjectOf(USERS.owner)).sub;
    const record = await approver
      .post('/people')
      .send({
        displayName: 'Olu Owner',
        email: 'olu.owner@acme.example',
        employmentType: 'employee',
        startDate: '2026-01-05',
        role: 'Engineer',
        department: 'Engineering',
        subjectId: ownerSubject,
      })
      .expect(201);
    const accepted = await owner
      .post(`/policies/${policyId}/versions/1.1.0/acceptances`)
      .send({ contentSha256: contentSha256(texts['1.1.0']) })
      .expect(201);
    expect(accepted.body).toMatchObject({
      version: '1.1.0',
      person: { personId: record.body.personId, displayName: 'Olu Owner', email: 'olu.owner@acme.example' },
      actor: { type: 'user', id: ownerSubject },
    });
  });

  it("records an unchanged policy's annual review, and the next review falls due a year later", async () => {
    clock.set('2027-02-20T14:00:00.000Z');
    // An unchanged text is no new version...
    const sameText = await drafter
      .post(`/policies/${policyId}/versions`)
      .send({ content: texts['1.1.0'], changeSummary: 'Annual review, no changes.' });
    expect(problem(sameText)).toEqual([409, domain('content-unchanged')]);
    // ...but a review, by a person with the approver permission.
    const byEmployee = await employee.post(`/policies/${policyId}/reviews`).send({ outcome: 'unchanged' });
    expect(problem(byEmployee)).toEqual([403, 'urn:attest:problem:forbidden']);

    const admin = await subjectOf(USERS.admin);
    const reviewed = await approver
      .post(`/policies/${policyId}/reviews`)
      .send({ outcome: 'unchanged', notes: 'Still how access is granted and reviewed.' })
      .expect(201);
    expect(reviewed.headers.location).toBe(`/v1/policies/${policyId}`);
    expect(reviewed.body).toEqual({
      policyId,
      version: '1.1.0',
      contentSha256: contentSha256(texts['1.1.0']),
      reviewer: { personId: admin.sub, ...(admin.name ? { displayName: admin.name } : {}) },
      outcome: 'unchanged',
      notes: 'Still how access is granted and reviewed.',
      reviewedAt: '2027-02-20T14:00:00.000Z',
      nextReviewDue: '2028-02-20',
    });
    const policy = (await drafter.get(`/policies/${policyId}`).expect(200)).body;
    expect(policy).toMatchObject({
      publishedVersion: '1.1.0',
      nextReviewDue: '2028-02-20',
      lastReview: { version: '1.1.0', outcome: 'unchanged', reviewedAt: '2027-02-20T14:00:00.000Z' },
    });
    expect(await service.app.get(ControlMappingReadModel).policiesWithReviewDue(ACME)).toEqual([
      {
        policyId,
        title: 'Access Control Policy',
        publishedVersion: '1.1.0',
        nextReviewDue: '2028-02-20',
        lastReviewedAt: '2027-02-20T14:00:00.000Z',
      },
    ]);
  });

  it('takes the same version again a year after the last acceptance, not before', async () => {
    // The control owner accepted 1.1.0 on 2 March 2026; the clock is at 20 February 2027.
    const owner = service.as(USERS.owner);
    const read = contentSha256(texts['1.1.0']);
    const early = await owner
      .post(`/policies/${policyId}/versions/1.1.0/acceptances`)
      .send({ contentSha256: read });
    expect(problem(early)).toEqual([409, domain('already-accepted')]);
    expect(early.body.details).toMatchObject({ renewableFrom: '2027-03-02' });

    clock.set('2027-03-02T08:00:00.000Z');
    const renewed = await owner
      .post(`/policies/${policyId}/versions/1.1.0/acceptances`)
      .send({ contentSha256: read })
      .expect(201);
    expect(renewed.body).toMatchObject({ version: '1.1.0', acceptedAt: '2027-03-02T08:00:00.000Z' });
    const records = (await drafter.get(`/policies/${policyId}/acceptances?version=1.1.0`).expect(200)).body
      .items;
    expect(records.map((r: { acceptedAt: string }) => r.acceptedAt)).toEqual([
      '2026-03-02T09:04:00.000Z',
      '2027-03-02T08:00:00.000Z',
    ]);
  });

  it('sets who must accept the policy, and lists the published policies with their audience', async () => {
    const readModel = service.app.get(ControlMappingReadModel);
    const everyone = await readModel.publishedPoliciesWithAudience(ACME);
    expect(everyone).toEqual([
      {
        policyId,
        title: 'Access Control Policy',
        audience: { scope: 'everyone' },
        publishedVersion: '1.1.0',
        contentSha256: contentSha256(texts['1.1.0']),
        publishedAt: '2026-03-02T09:04:00.000Z',
      },
    ]);

    const notForOwners = await service
      .as(USERS.owner)
      .put(`/policies/${policyId}/audience`)
      .send({ scope: 'everyone' });
    expect(problem(notForOwners)).toEqual([403, 'urn:attest:problem:forbidden']);
    const everyoneWithLists = await drafter
      .put(`/policies/${policyId}/audience`)
      .send({ scope: 'everyone', roles: ['engineer'] });
    expect(problem(everyoneWithLists)).toEqual([400, 'urn:attest:problem:validation']);
    const nobody = await drafter.put(`/policies/${policyId}/audience`).send({ scope: 'selected' });
    expect(problem(nobody)).toEqual([400, 'urn:attest:problem:validation']);

    const set = await drafter
      .put(`/policies/${policyId}/audience`)
      .send({
        scope: 'selected',
        departments: ['Engineering', ' Engineering'],
        employmentTypes: ['contractor'],
      })
      .expect(200);
    const selected = { scope: 'selected', departments: ['Engineering'], employmentTypes: ['contractor'] };
    expect(set.body.audience).toEqual(selected);
    const before = await events();
    const again = await drafter
      .put(`/policies/${policyId}/audience`)
      .set('If-Match', set.headers.etag)
      .send({ scope: 'selected', employmentTypes: ['contractor'], departments: ['Engineering'] })
      .expect(200);
    expect([again.headers.etag, await events()]).toEqual([set.headers.etag, before]);
    expect((await readModel.publishedPoliciesWithAudience(ACME))[0].audience).toEqual(selected);
  });
});
