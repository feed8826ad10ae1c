import { randomUUID } from 'node:crypto';
import {
  CatalogVersions,
  contentSha256,
  controlSetIdFor,
  exampleCatalogV1,
  exampleCatalogV2,
} from '@attest/control-mapping-domain';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { eventCatalog, topicFor } from '@attest/event-contracts';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import {
  accessToken,
  ACME,
  startControlMapping,
  USERS,
  storeDump,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

/**
 * The HTTP API on a real PostgreSQL, with the two hand-sized example catalogs (example-catalogs.ts of the domain
 * lib) so the coverage matrix can be computed by hand, and a fixed clock. No Kafka here (see
 * readiness-events.int.spec.ts); another tenant's attempts on every route are in cross-tenant.int.spec.ts.
 */
describe('control-mapping HTTP API (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let api: UserClient;
  const tenant = ACME;
  const setId = controlSetIdFor(tenant);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_http');
    service = await startControlMapping({
      pool: db.pool,
      catalogs: new CatalogVersions([exampleCatalogV1(), exampleCatalogV2()]),
      clock: settableClock('2026-03-02T09:00:00.000Z'),
    });
    // acme's compliance manager; the suite's database is its own, so acme starts without a control set here.
    api = service.as(USERS.manager);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const ok = (res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };

  describe('the worked example', () => {
    it('creates the control set for security + availability on catalog 1.0.0', async () => {
      const set = ok(
        await api.post('/control-sets').send({ categories: ['availability'], catalogVersion: '1.0.0' }),
        201,
      );
      expect(set).toMatchObject({
        controlSetId: setId,
        categories: ['security', 'availability'],
        criteria: ['CC1.1', 'CC1.2', 'A1.1'],
        catalogVersion: '1.0.0',
        controlCount: 0,
      });
    });

    it('adopts picked catalog controls, recording the catalog version of each', async () => {
      const res = ok(
        await api
          .post(`/control-sets/${setId}/adopt`)
          .send({ mode: 'picked', catalogControlIds: ['GOV-01', 'GOV-02', 'AVL-01'] }),
        201,
      );
      expect(res.adopted.map((a: { code: string }) => a.code)).toEqual(['AVL-01', 'GOV-01', 'GOV-02']);
      for (const a of res.adopted) ids[a.code] = a.controlId;
      const controls = ok(await api.get('/controls')).items;
      expect(
        controls.map((c: any) => [c.code, c.adoptedFromVersion, c.implementation.status, c.health]),
      ).toEqual([
        ['AVL-01', '1.0.0', 'not-started', 'unknown'],
        ['GOV-01', '1.0.0', 'not-started', 'unknown'],
        ['GOV-02', '1.0.0', 'not-started', 'unknown'],
      ]);
    });

    it('moves implementation on, marks one control not applicable and adds a custom control', async () => {
      ok(await api.put(`/controls/${ids['GOV-01']}/implementation`).send({ status: 'in-progress' }));
      // Nobody answers for it yet: it cannot be implemented.
      const unowned = await api
        .put(`/controls/${ids['GOV-01']}/implementation`)
        .send({ status: 'implemented', implementedOn: '2026-01-20' });
      expect([unowned.status, unowned.body.type]).toEqual([422, 'urn:attest:problem:domain:owner-required']);
      ok(
        await api
          .put(`/controls/${ids['GOV-01']}/owner`)
          .send({ personId: randomUUID(), displayName: 'Marcus Chen' }),
      );
      const gov01 = ok(
        await api.put(`/controls/${ids['GOV-01']}/implementation`).send({
          status: 'implemented',
          implementedOn: '2026-01-20',
          notes: 'Code of conduct signed by everyone.',
          evidenceReferences: [
            { kind: 'document', title: 'Signed code of conduct', uri: 'https://docs.example/coc' },
          ],
        }),
      );
      expect(gov01.implementation).toMatchObject({ status: 'implemented', implementedOn: '2026-01-20' });
      ok(await api.put(`/controls/${ids['GOV-02']}/implementation`).send({ status: 'in-progress' }));
      const avl = ok(
        await api
          .post(`/controls/${ids['AVL-01']}/not-applicable`)
          .send({ justification: 'Availability is contracted out to the hosting provider.' }),
      );
      expect(avl.applicability).toMatchObject({ status: 'not-applicable' });
      const custom = ok(
        await api.post('/controls').send({
          code: 'LUM-01',
          name: 'Uptime reviews',
          description: 'Account managers review uptime with each enterprise customer every quarter.',
          controlType: 'detective',
          nature: 'manual',
          frequency: 'quarterly',
          criteria: ['A1.1'],
          pointsOfFocus: ['A1.1.2'],
        }),
        201,
      );
      expect(custom).toMatchObject({ origin: 'custom', code: 'LUM-01', customizedFields: expect.any(Array) });
      ids['LUM-01'] = custom.controlId;
    });

    it('GET /coverage matches the hand-computed matrix', async () => {
      const matrix = ok(await api.get('/coverage'));
      // Hand-computed (see the comment in coverage-matrix.spec.ts of the domain lib): a criterion is covered only
      // when each of its points is; CC1.1.3 has no control, so CC1.1 is not. AVL-01 is not applicable, so A1.1.1 is
      // a gap and only LUM-01 (not started) covers A1.1.
      const shape = matrix.criteria.map((c: any) => [
        c.criterion,
        c.status,
        c.controls.map((k: any) => k.code).join(' '),
        c.pointsOfFocus.map((p: any) => [p.ref, p.status, p.controls.map((k: any) => k.code).join(' ')]),
      ]);
      expect(shape).toEqual([
        [
          'CC1.1',
          'covered-not-implemented',
          'GOV-01 GOV-02',
          [
            ['CC1.1.1', 'covered-implemented', 'GOV-01'],
            ['CC1.1.2', 'covered-implemented', 'GOV-01 GOV-02'],
            ['CC1.1.3', 'gap', ''],
          ],
        ],
        [
          'CC1.2',
          'covered-not-implemented',
          'GOV-02',
          [
            ['CC1.2.1', 'covered-not-implemented', 'GOV-02'],
            ['CC1.2.2', 'gap', ''],
          ],
        ],
        [
          'A1.1',
          'covered-not-implemented',
          'LUM-01',
          [
            ['A1.1.1', 'gap', ''],
            ['A1.1.2', 'covered-not-implemented', 'LUM-01'],
          ],
        ],
      ]);
      expect(matrix).toMatchObject({
        controlSetId: setId,
        catalogVersion: '1.0.0',
        summary: {
          criteria: { 'covered-implemented': 0, 'covered-not-implemented': 3, gap: 0, 'not-applicable': 0 },
          pointsOfFocus: {
            'covered-implemented': 2,
            'covered-not-implemented': 2,
            gap: 3,
            'not-applicable': 0,
          },
        },
        notApplicableControls: ['AVL-01'],
      });
      expect(matrix.criteria.map((c: any) => [c.criterion, c.missing])).toEqual([
        ['CC1.1', [{ pointOfFocusRef: 'CC1.1.3', heading: 'CC1.1 heading 3', reason: 'no-control' }]],
        [
          'CC1.2',
          [
            { pointOfFocusRef: 'CC1.2.1', heading: 'CC1.2 heading 1', reason: 'not-implemented' },
            { pointOfFocusRef: 'CC1.2.2', heading: 'CC1.2 heading 2', reason: 'no-control' },
          ],
        ],
        [
          'A1.1',
          [
            { pointOfFocusRef: 'A1.1.1', heading: 'A1.1 heading 1', reason: 'no-control' },
            { pointOfFocusRef: 'A1.1.2', heading: 'A1.1 heading 2', reason: 'not-implemented' },
          ],
        ],
      ]);
      expect(matrix.criteria[0].pointsOfFocus[2].leftToOrganization).toBe(
        'Only the organization itself can set this.',
      );
    });

    it('GET /coverage.csv exports the same matrix', async () => {
      const res = await api.get('/coverage.csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.text).toBe(
        [
          'category,criterion,point_of_focus,title,status,implemented_controls,not_implemented_controls,left_to_organization,missing,not_applicable_justification',
          'security,CC1.1,,CC1.1 title,covered-not-implemented,GOV-01,GOV-02,,CC1.1.3:no-control,',
          'security,CC1.1,CC1.1.1,CC1.1 heading 1,covered-implemented,GOV-01,,,,',
          'security,CC1.1,CC1.1.2,CC1.1 heading 2,covered-implemented,GOV-01,GOV-02,,,',
          'security,CC1.1,CC1.1.3,CC1.1 heading 3,gap,,,Only the organization itself can set this.,,',
          'security,CC1.2,,CC1.2 title,covered-not-implemented,,GOV-02,,CC1.2.1:not-implemented CC1.2.2:no-control,',
          'security,CC1.2,CC1.2.1,CC1.2 heading 1,covered-not-implemented,,GOV-02,,,',
          'security,CC1.2,CC1.2.2,CC1.2 heading 2,gap,,,,,',
          'availability,A1.1,,A1.1 title,covered-not-implemented,,LUM-01,,A1.1.1:no-control A1.1.2:not-implemented,',
          'availability,A1.1,A1.1.1,A1.1 heading 1,gap,,,,,',
          'availability,A1.1,A1.1.2,A1.1 heading 2,covered-not-implemented,,LUM-01,,,',
          '',
        ].join('\r\n'),
      );
    });

    it('explaining CC1.1.3 as not applicable covers CC1.1; withdrawing the explanation uncovers it', async () => {
      const path = `/control-sets/${setId}/points-of-focus/CC1.1.3/not-applicable`;
      const justification = 'Lumen has no board: its two founders run it and answer to nobody else.';
      const explained = await api.put(path).send({ justification });
      const set = ok(explained);
      expect(set.pointsOfFocusNotApplicable).toEqual({
        'CC1.1.3': { criterionId: 'CC1.1', justification, markedAt: '2026-03-02T09:00:00.000Z' },
      });
      // The same explanation again changes nothing, not even the control set's version.
      const again = await api.put(path).send({ justification });
      expect([again.status, again.headers.etag]).toEqual([200, explained.headers.etag]);
      const covered = ok(await api.get('/coverage'));
      expect(covered.criteria[0]).toMatchObject({
        criterion: 'CC1.1',
        status: 'covered-implemented',
        missing: [],
      });
      expect(covered.criteria[0].pointsOfFocus[2]).toMatchObject({
        ref: 'CC1.1.3',
        status: 'not-applicable',
        notApplicable: { justification },
      });
      expect((await api.get('/coverage.csv')).text).toContain(
        `security,CC1.1,CC1.1.3,CC1.1 heading 3,not-applicable,,,Only the organization itself can set this.,,${justification}`,
      );

      const withdrawn = ok(await api.delete(path).set('If-Match', explained.headers.etag));
      expect(withdrawn.pointsOfFocusNotApplicable).toEqual({});
      expect(ok(await api.get('/coverage')).criteria[0]).toMatchObject({
        status: 'covered-not-implemented',
        missing: [{ pointOfFocusRef: 'CC1.1.3', reason: 'no-control' }],
      });
      const twice = await api.delete(path);
      expect([twice.status, twice.body.type]).toEqual([
        409,
        'urn:attest:problem:domain:point-of-focus-applicable',
      ]);
    });

    it('GET /coverage/frameworks/:framework gives ISO 27001 and NIST CSF coverage from the catalog mappings', async () => {
      const iso = ok(await api.get('/coverage/frameworks/iso27001-2022'));
      expect(iso.targets.map((t: any) => [t.id, t.status, t.controls.map((c: any) => c.code)])).toEqual([
        ['A.5.1', 'covered-implemented', ['GOV-01', 'GOV-02']],
        ['A.5.2', 'covered-not-implemented', ['GOV-02']],
        ['A.8.1', 'gap', []],
      ]);
      const csf = ok(await api.get('/coverage/frameworks/nist-csf-2.0'));
      expect(csf.summary).toEqual({
        'covered-implemented': 1,
        'covered-not-implemented': 0,
        gap: 1,
        total: 2,
      });
    });
  });

  describe('bad input gets 4xx problem+json and changes nothing', () => {
    const cases: [
      string,
      (api: UserClient) => Promise<{ status: number; headers: any; body: any }>,
      number,
      string,
    ][] = [
      [
        'adopt picked without ids',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'picked' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'adopt with an unknown mode',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'everything' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'adopt a malformed catalog id',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'picked', catalogControlIds: ['gov01'] }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'adopt a control twice',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'picked', catalogControlIds: ['GOV-01'] }),
        409,
        'urn:attest:problem:domain:already-adopted',
      ],
      [
        'adopt an unknown catalog control',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'picked', catalogControlIds: ['GOV-03'] }),
        422,
        'urn:attest:problem:domain:unknown-catalog-control',
      ],
      [
        'adopt into another set id',
        (a) => a.post(`/control-sets/${randomUUID()}/adopt`).send({ mode: 'scope' }),
        404,
        'urn:attest:problem:not-found',
      ],
      [
        'a second control set',
        (a) => a.post('/control-sets').send({ categories: [] }),
        409,
        'urn:attest:problem:domain:control-set-exists',
      ],
      [
        'an unknown category',
        (a) => a.post('/control-sets').send({ categories: ['secrecy'] }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'implement a control nobody owns',
        (a) =>
          a
            .put(`/controls/${ids['GOV-02']}/implementation`)
            .send({ status: 'implemented', implementedOn: '2026-03-01' }),
        422,
        'urn:attest:problem:domain:owner-required',
      ],
      [
        'explain a point of focus outside the scope',
        (a) =>
          a
            .put(`/control-sets/${setId}/points-of-focus/P1.1.1/not-applicable`)
            .send({ justification: 'No privacy commitments.' }),
        422,
        'urn:attest:problem:domain:point-of-focus-out-of-scope',
      ],
      [
        'explain a point of focus the catalog does not have',
        (a) =>
          a.put(`/control-sets/${setId}/points-of-focus/CC1.1.9/not-applicable`).send({ justification: 'x' }),
        422,
        'urn:attest:problem:domain:unknown-point-of-focus',
      ],
      [
        'a malformed point of focus',
        (a) =>
          a.put(`/control-sets/${setId}/points-of-focus/CC1-1/not-applicable`).send({ justification: 'x' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'explain a point of focus without a justification',
        (a) => a.put(`/control-sets/${setId}/points-of-focus/CC1.2.2/not-applicable`).send({}),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'withdraw an explanation never given',
        (a) => a.delete(`/control-sets/${setId}/points-of-focus/CC1.2.2/not-applicable`),
        409,
        'urn:attest:problem:domain:point-of-focus-applicable',
      ],
      [
        'revoke not-applicable of a control that applies',
        (a) => a.post(`/controls/${ids['GOV-02']}/not-applicable/revocation`).send({ reason: 'It applies.' }),
        409,
        'urn:attest:problem:domain:control-applicable',
      ],
      [
        'revoke not-applicable without a reason',
        (a) => a.post(`/controls/${ids['AVL-01']}/not-applicable/revocation`).send({ reason: ' ' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'customize nothing',
        (a) => a.patch(`/controls/${ids['GOV-02']}`).send({}),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'customize with an unknown frequency',
        (a) => a.patch(`/controls/${ids['GOV-02']}`).send({ frequency: 'hourly' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'customize with an unknown property',
        (a) => a.patch(`/controls/${ids['GOV-02']}`).send({ colour: 'red' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'customize a not-applicable control',
        (a) => a.patch(`/controls/${ids['AVL-01']}`).send({ name: 'x' }),
        409,
        'urn:attest:problem:domain:control-not-applicable',
      ],
      [
        'map to an unknown criterion',
        (a) => a.patch(`/controls/${ids['GOV-02']}`).send({ criteria: ['CC1.2', 'CC9.9'] }),
        422,
        'urn:attest:problem:domain:unknown-criterion',
      ],
      [
        'skip in-progress',
        (a) =>
          a
            .put(`/controls/${ids['LUM-01']}/implementation`)
            .send({ status: 'implemented', implementedOn: '2026-01-01' }),
        409,
        'urn:attest:problem:domain:invalid-transition',
      ],
      [
        'go back without a reason',
        (a) => a.put(`/controls/${ids['GOV-01']}/implementation`).send({ status: 'in-progress' }),
        422,
        'urn:attest:problem:domain:reason-required',
      ],
      [
        'change a not-applicable control',
        (a) => a.put(`/controls/${ids['AVL-01']}/implementation`).send({ status: 'in-progress' }),
        409,
        'urn:attest:problem:domain:control-not-applicable',
      ],
      [
        'an impossible date',
        (a) =>
          a
            .put(`/controls/${ids['GOV-02']}/implementation`)
            .send({ status: 'implemented', implementedOn: '2026-02-30' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a blank justification',
        (a) => a.post(`/controls/${ids['GOV-02']}/not-applicable`).send({ justification: '   ' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an owner without a person id',
        (a) => a.put(`/controls/${ids['GOV-02']}/owner`).send({ displayName: 'Marcus' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a custom code that is a catalog id',
        (a) =>
          a.post('/controls').send({
            code: 'GOV-03',
            name: 'x',
            description: 'x',
            controlType: 'preventive',
            nature: 'manual',
            frequency: 'annual',
            criteria: ['CC1.1'],
          }),
        422,
        'urn:attest:problem:domain:code-reserved-by-catalog',
      ],
      [
        'a custom point of focus outside its criteria',
        (a) =>
          a.post('/controls').send({
            code: 'LUM-02',
            name: 'x',
            description: 'x',
            controlType: 'preventive',
            nature: 'manual',
            frequency: 'annual',
            criteria: ['CC1.1'],
            pointsOfFocus: ['A1.1.1'],
          }),
        422,
        'urn:attest:problem:domain:point-of-focus-outside-criteria',
      ],
      ['an unknown control', (a) => a.get(`/controls/${randomUUID()}`), 404, 'urn:attest:problem:not-found'],
      [
        'a control id that is not a uuid',
        (a) => a.get('/controls/not-a-uuid'),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an unknown framework',
        (a) => a.get('/coverage/frameworks/pci-dss'),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an upgrade to an unknown version',
        (a) => a.post(`/control-sets/${setId}/upgrade`).send({ toVersion: '9.0.0' }),
        422,
        'urn:attest:problem:domain:unknown-catalog-version',
      ],
      [
        'an upgrade to the same version',
        (a) => a.post(`/control-sets/${setId}/upgrade`).send({ toVersion: '1.0.0' }),
        409,
        'urn:attest:problem:domain:catalog-version-not-newer',
      ],
      [
        'an unknown policy template',
        (a) => a.post('/policies').send({ templateId: 'no-such-policy', owner: { personId: randomUUID() } }),
        422,
        'urn:attest:problem:domain:unknown-policy-template',
      ],
      // Found by fuzzing: each of these passed the DTO and then broke an event contract (500), or was accepted.
      [
        'a policy owner that is a list',
        (a) => a.post('/policies').send({ templateId: 'access-control', owner: [] }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an owner e-mail address that no event could carry',
        (a) =>
          a.post('/policies').send({
            templateId: 'access-control',
            owner: { personId: randomUUID(), email: 'josé@lumen.example' },
          }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a display name longer than 200 characters, counted as JSON Schema counts them',
        (a) =>
          a
            .put(`/controls/${ids['GOV-02']}/owner`)
            .send({ personId: randomUUID(), displayName: '❤️'.repeat(101) }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a null version for a draft',
        (a) =>
          a
            .post(`/policies/${randomUUID()}/versions`)
            .send({ content: 'x', changeSummary: 'y', version: null }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'catalog control ids with mode scope',
        (a) => a.post(`/control-sets/${setId}/adopt`).send({ mode: 'scope', catalogControlIds: ['GOV-01'] }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a criterion given twice',
        (a) => a.patch(`/controls/${ids['GOV-02']}`).send({ criteria: ['CC1.2', 'CC1.2'] }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'implementedOn with another status than implemented',
        (a) =>
          a
            .put(`/controls/${ids['GOV-02']}/implementation`)
            .send({ status: 'not-started', implementedOn: '2026-01-01' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an evidence item without its id',
        (a) =>
          a.put(`/controls/${ids['GOV-02']}/implementation`).send({
            status: 'implemented',
            implementedOn: '2026-01-01',
            evidenceReferences: [{ kind: 'evidence-item', title: 'Board minutes' }],
          }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a link to a host no URI can name',
        (a) =>
          a.put(`/controls/${ids['GOV-02']}/implementation`).send({
            status: 'implemented',
            implementedOn: '2026-01-01',
            evidenceReferences: [{ kind: 'link', title: 'Minutes', uri: 'https://пример.example/minutes' }],
          }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'a NUL character in a justification',
        (a) => a.post(`/controls/${ids['GOV-02']}/not-applicable`).send({ justification: 'No\u0000 reason' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an approver or approval time in the body (the approver is the caller, the time the server’s)',
        (a) =>
          a
            .post(`/policies/${randomUUID()}/versions/1.0.0/approve`)
            .send({ approver: { personId: randomUUID() }, approvedAt: '2026-01-10T09:00:00Z' }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'more placeholder values than any template has',
        (a) =>
          a.post('/policies').send({
            templateId: 'access-control',
            owner: { personId: randomUUID() },
            placeholderValues: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`name_${i}`, 'x'])),
          }),
        400,
        'urn:attest:problem:validation',
      ],
      [
        'an acceptance time in the body (the time is the server’s)',
        (a) =>
          a
            .post(`/policies/${randomUUID()}/versions/1.0.0/acceptances`)
            .send({ contentSha256: 'a'.repeat(64), acceptedAt: '2026-01-10T09:00:00Z' }),
        400,
        'urn:attest:problem:validation',
      ],
    ];

    it.each(cases)('%s', async (_name, send, status, type) => {
      const before = await storeDump(db.pool);
      const res = await send(api);
      expect({ status: res.status, type: res.body.type }).toEqual({ status, type });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await storeDump(db.pool)).toEqual(before);
    });

    it('no token and malformed JSON are refused too, and no header chooses the tenant', async () => {
      const before = await storeDump(db.pool);
      const noToken = await request(service.app.getHttpServer()).get('/v1/controls');
      expect([noToken.status, noToken.body.type]).toEqual([401, 'urn:attest:problem:unauthenticated']);
      const malformed = await api.post('/controls').set('Content-Type', 'application/json').send('{"code": ');
      expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:malformed-body']);
      // The old tenant header is no longer read: the token's tenant (acme) is served.
      const otherTenant = ok(await api.get('/controls').set('X-Attest-Tenant', 'globex'));
      expect(otherTenant.items.length).toBeGreaterThan(0);
      expect(await storeDump(db.pool)).toEqual(before);
    });
  });

  describe('catalog upgrade', () => {
    it('customizing keeps the change and says the control diverges from its template', async () => {
      const owner = { personId: randomUUID(), displayName: 'Dana Whitfield' };
      ok(await api.put(`/controls/${ids['GOV-02']}/owner`).send(owner));
      const gov02 = ok(
        await api.patch(`/controls/${ids['GOV-02']}`).send({
          description: 'The board reviews its charter every year.',
          ownerRole: 'ceo',
          reason: 'How we work',
        }),
      );
      expect(gov02).toMatchObject({
        owner,
        ownerRole: 'ceo',
        customizedFields: ['description', 'ownerRole'],
      });
    });

    it('offers the diff to 2.0.0 before applying it', async () => {
      const plan = ok(await api.get(`/control-sets/${setId}/upgrade-diff?to=2.0.0`));
      expect(plan).toMatchObject({
        fromVersion: '1.0.0',
        toVersion: '2.0.0',
        newCatalogControlIds: ['GOV-03'],
        retiredCatalogControlIds: ['PRV-01'],
      });
      expect(plan.updates.map((u: any) => [u.code, u.changedAspects, u.appliedAutomatically])).toEqual([
        ['GOV-01', ['frequency'], true],
        ['GOV-02', ['name'], false],
      ]);
      expect((await api.get(`/control-sets/${setId}/upgrade-diff?to=banana`)).status).toBe(400);
    });

    it('applies it: the uncustomized control follows its template, the customized one is flagged for review', async () => {
      const upgraded = ok(await api.post(`/control-sets/${setId}/upgrade`).send({ toVersion: '2.0.0' }));
      expect(upgraded).toMatchObject({ fromVersion: '1.0.0', toVersion: '2.0.0' });
      const gov01 = ok(await api.get(`/controls/${ids['GOV-01']}`));
      expect(gov01).toMatchObject({
        frequency: 'quarterly',
        templateVersion: '2.0.0',
        adoptedFromVersion: '1.0.0',
        implementation: { status: 'implemented' },
      });
      const gov02 = ok(await api.get(`/controls/${ids['GOV-02']}`));
      expect(gov02).toMatchObject({
        name: 'GOV-02 name',
        description: 'The board reviews its charter every year.',
        templateVersion: '1.0.0',
        pendingTemplateReview: { fromVersion: '1.0.0', toVersion: '2.0.0', changedAspects: ['name'] },
      });
      expect(ok(await api.get(`/control-sets/${setId}`))).toMatchObject({
        catalogVersion: '2.0.0',
        controlCount: 4,
      });
      const more = ok(await api.post(`/control-sets/${setId}/adopt`).send({ mode: 'scope' }), 201);
      expect(more).toMatchObject({ catalogVersion: '2.0.0', adopted: [{ code: 'GOV-03' }] });
    });
  });

  describe('policies', () => {
    let policyId: string;
    const marcus = { personId: randomUUID(), displayName: 'Marcus Chen', email: 'marcus@lumen.example' };

    it('adopts a catalog template as draft 1.0.0, approves, publishes and requires acceptance', async () => {
      const policy = ok(
        await api.post('/policies').send({
          templateId: 'access-control',
          owner: marcus,
          placeholderValues: { company_name: 'Lumen Analytics' },
        }),
        201,
      );
      policyId = policy.policyId;
      expect(policy).toMatchObject({
        title: 'Access Control Policy',
        templateId: 'access-control',
        versions: { '1.0.0': { status: 'draft' } },
      });
      const text = ok(await api.get(`/policies/${policyId}/versions/1.0.0`));
      expect(text.content).toContain('Lumen Analytics');
      expect(text.contentSha256).toBe(contentSha256(text.content));
      // The compliance manager drafted it (adopting drafts 1.0.0); the admin approves, now.
      const admin = decodeJwt(await accessToken(USERS.admin));
      const approved = ok(
        await service
          .as(USERS.admin)
          .post(`/policies/${policyId}/versions/1.0.0/approve`)
          .send({ approvalNote: 'March steering meeting' }),
      );
      expect(approved).toMatchObject({
        status: 'approved',
        approval: {
          approver: { personId: admin.sub, displayName: admin.name },
          approvedAt: '2026-03-02T09:00:00.000Z',
          approvalNote: 'March steering meeting',
        },
      });
      const published = ok(
        await api.post(`/policies/${policyId}/versions/1.0.0/publish`).send({ effectiveDate: '2026-03-02' }),
      );
      expect(published).toMatchObject({ status: 'published', publication: { effectiveDate: '2026-03-02' } });
      const required = ok(
        await api
          .post(`/policies/${policyId}/acceptance-requirements`)
          .send({ roles: ['employee'], dueDate: '2099-03-01' }),
        201,
      );
      expect(required).toEqual({ policyId, version: '1.0.0', roles: ['employee'], dueDate: '2099-03-01' });
    });

    it('records acceptances of the signed-in person per version, once each, only of the published version', async () => {
      const employee = service.as(USERS.employee);
      const claims = decodeJwt(await accessToken(USERS.employee));
      const { contentSha256: read } = ok(await employee.get(`/policies/${policyId}/versions/1.0.0`));
      const accepted = ok(
        await employee.post(`/policies/${policyId}/versions/1.0.0/acceptances`).send({ contentSha256: read }),
        201,
      );
      expect(accepted).toMatchObject({
        policyId,
        version: '1.0.0',
        person: { personId: claims.sub, displayName: claims.name },
        method: 'in-app',
        actor: { type: 'user', id: claims.sub },
      });
      ok(
        await service
          .as(USERS.owner)
          .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
          .send({ contentSha256: read, method: 'e-signature' }),
        201,
      );
      // Nobody accepts on someone else's behalf: the body names no person.
      const onBehalf = await employee
        .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
        .send({ contentSha256: read, person: marcus });
      expect([onBehalf.status, onBehalf.body.type]).toEqual([400, 'urn:attest:problem:validation']);
      const twice = await employee
        .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
        .send({ contentSha256: read });
      expect([twice.status, twice.body.type]).toEqual([409, 'urn:attest:problem:domain:already-accepted']);

      const draft = ok(
        await api
          .post(`/policies/${policyId}/versions`)
          .send({ content: '# Access Control Policy\n\nRewritten.\n', changeSummary: 'Rewrite' }),
        201,
      );
      expect(draft).toMatchObject({ version: '1.1.0', status: 'draft', basedOnVersion: '1.0.0' });
      const early = await employee
        .post(`/policies/${policyId}/versions/1.1.0/acceptances`)
        .send({ contentSha256: draft.contentSha256 });
      expect([early.status, early.body.type]).toEqual([
        409,
        'urn:attest:problem:domain:policy-version-not-published',
      ]);
      const unapproved = await api
        .post(`/policies/${policyId}/versions/1.1.0/publish`)
        .send({ effectiveDate: '2026-03-01' });
      expect([unapproved.status, unapproved.body.type]).toEqual([
        409,
        'urn:attest:problem:domain:policy-version-not-approved',
      ]);

      const mine = ok(await api.get(`/policies/${policyId}/acceptances?personId=${claims.sub}`)).items;
      expect(mine.map((a: any) => [a.version, a.person.personId, a.contentSha256])).toEqual([
        ['1.0.0', claims.sub, accepted.contentSha256],
      ]);
      expect(ok(await api.get(`/policies/${policyId}/acceptances?version=1.0.0`)).items).toHaveLength(2);
      expect(ok(await api.get(`/policies/${policyId}/acceptances?version=1.1.0`)).items).toHaveLength(0);
    });

    it('answers an unknown policy as not found', async () => {
      const unknown = await api.get(`/policies/${randomUUID()}`);
      expect([unknown.status, unknown.body.type]).toEqual([404, 'urn:attest:problem:not-found']);
    });

    it('takes the longest text the document admits, even written as escapes (2.4 MB of JSON)', async () => {
      const content = '𝔸'.repeat(200_000);
      // Every character as its surrogate pair escape: the largest JSON that states this text.
      const body = JSON.stringify({ content, changeSummary: 'Longest text' }).replace(
        /[\ud800-\udfff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16)}`,
      );
      const res = await api
        .post(`/policies/${policyId}/versions`)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(ok(res, 201)).toMatchObject({ version: '1.2.0', contentSha256: contentSha256(content) });
    });
  });

  it('routes every event it records, formerly internal ones included, to its public type on the context topic', async () => {
    const r = await db.pool.query<{
      stream_type: string;
      event_type: string;
      ce_type: string;
      topic: string;
    }>('SELECT DISTINCT stream_type, event_type, ce_type, topic FROM event_store.events');
    const contractOf = new Map(eventCatalog.map((c) => [`${c.streamType}/${c.storeType}`, c.ceType]));
    for (const e of r.rows)
      expect(e).toEqual({
        ...e,
        ce_type: contractOf.get(`${e.stream_type}/${e.event_type}`),
        topic: topicFor('control-mapping'),
      });
    expect(r.rows.map((e) => e.event_type)).toEqual(
      expect.arrayContaining([
        'ControlAdopted',
        'ControlsJoinedSet',
        'PolicyVersionTextRecorded',
        'ControlTemplateUpgraded',
      ]),
    );
  });
});
