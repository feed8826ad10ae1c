import type { RecordedEvent } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { TokenIdentity } from '../identity/principal-claims';
import { EngagementGrants, type GrantEvent } from './engagement-grants';

const auditor = (over: Partial<TokenIdentity> = {}): TokenIdentity => ({
  kind: 'user',
  subject: 'sub-lead',
  actorId: 'user:sub-lead',
  roles: ['auditor'],
  ...over,
});
const LEAD = 'aud-lead';

const planned = (engagementId: string, controlIds: string[]): GrantEvent => ({
  type: 'EngagementPlanned',
  data: { engagementId, scope: { controlIds } },
});
const invited = (engagementId: string, email: string, auditorId = LEAD): GrantEvent => ({
  type: 'AuditorInvited',
  data: { engagementId, auditor: { auditorId, email, role: 'lead' } },
});
/** The acceptance as the service records it: a user actor's id is the identity-provider subject. */
const accepted = (engagementId: string, subject: string, auditorId = LEAD): GrantEvent => ({
  type: 'AuditorInvitationAccepted',
  data: { engagementId, auditorId, actor: { type: 'user', id: subject } },
});
const removed = (engagementId: string, auditorId = LEAD): GrantEvent => ({
  type: 'AuditorRemoved',
  data: { engagementId, auditorId },
});
const engagementsOf = async (grants: EngagementGrants, identity: TokenIdentity) =>
  (await grants.grantsFor(identity)).map((m) => `${m.tenant}/${m.engagementId}`);

describe('EngagementGrants (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('attest_grants');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("in the auditor-engagement service's own projection: admits an invited auditor by verified e-mail at once", async () => {
    const grants = new EngagementGrants(db.pool, 'grants_own');
    await grants.setUp(db.pool);
    const projection = grants.projection();
    const apply = (tenantId: string, ...events: GrantEvent[]) =>
      projection.apply(
        db.pool as never,
        'grants_own',
        events.map((e) => ({ ...e, tenantId }) as unknown as RecordedEvent),
      );
    await apply('acme', planned('e-1', ['c-1', 'c-2']), invited('e-1', 'Lead@CPA.example'));
    await apply(
      'globex',
      planned('e-2', ['c-9']),
      invited('e-2', 'lead@cpa.example'),
      invited('e-2', 'lead@cpa.example'),
    );

    expect(await grants.grantsFor(auditor({ email: 'lead@cpa.example' }))).toEqual([
      { tenant: 'acme', roles: ['auditor'], source: 'grant', engagementId: 'e-1' },
      { tenant: 'globex', roles: ['auditor'], source: 'grant', engagementId: 'e-2' },
    ]);
    // No verified e-mail (and no acceptance), or not an auditor at the identity provider: nothing.
    expect(await grants.grantsFor(auditor())).toEqual([]);
    expect(await grants.grantsFor(auditor({ email: 'lead@cpa.example', roles: ['control-owner'] }))).toEqual(
      [],
    );
    expect(await grants.grantsFor(auditor({ email: 'staff@cpa.example' }))).toEqual([]);

    await apply('globex', removed('e-2'));
    expect(await engagementsOf(grants, auditor({ email: 'lead@cpa.example' }))).toEqual(['acme/e-1']);
    expect(await grants.scopeOf('acme', 'e-1')).toEqual(['c-1', 'c-2']);
    expect(await grants.scopeOf('acme', 'e-2')).toBeNull();
  });

  it('in a consuming service (sealed e-mails): admits an auditor only once they accepted, by subject, until removed', async () => {
    const grants = new EngagementGrants(db.pool, 'grants_consumer');
    await grants.setUp(db.pool);
    // What the topic carries: the e-mail sealed.
    for (const event of [planned('e-1', ['c-1']), invited('e-1', 'pd1.AAAAAAAAAAAAAAAAAAAAAA.sealed')])
      await grants.apply(db.pool, 'acme', event);
    expect(await grants.grantsFor(auditor({ email: 'lead@cpa.example' }))).toEqual([]);

    await grants.apply(db.pool, 'acme', accepted('e-1', 'sub-lead'));
    await grants.apply(db.pool, 'acme', accepted('e-1', 'sub-lead')); // redelivered: nothing changes
    expect(await engagementsOf(grants, auditor())).toEqual(['acme/e-1']);
    // Another person of the firm (another subject) does not ride on the acceptance.
    expect(await grants.grantsFor(auditor({ subject: 'sub-other', actorId: 'user:sub-other' }))).toEqual([]);

    await grants.apply(db.pool, 'acme', {
      type: 'EngagementScopeChanged',
      data: { engagementId: 'e-1', scope: { controlIds: ['c-2', 'c-3'] } },
    });
    expect(await grants.controlsInScope('acme', await grants.grantsFor(auditor()))).toEqual(['c-2', 'c-3']);
    expect(await grants.controlsInScope('globex', await grants.grantsFor(auditor()))).toEqual([]);

    // Removed, then invited again: the old acceptance does not carry over.
    await grants.apply(db.pool, 'acme', removed('e-1'));
    expect(await grants.grantsFor(auditor())).toEqual([]);
    await grants.apply(db.pool, 'acme', invited('e-1', 'pd1.AAAAAAAAAAAAAAAAAAAAAA.sealed'));
    expect(await grants.grantsFor(auditor())).toEqual([]);
    await grants.apply(db.pool, 'acme', accepted('e-1', 'sub-lead'));
    expect(await engagementsOf(grants, auditor())).toEqual(['acme/e-1']);
  });

  it('reads the auditor-engagement topic’s CloudEvent types and ignores the others', () => {
    expect(
      EngagementGrants.grantEventOf('io.attest.auditor-engagement.auditor-removed.v1', {
        engagementId: 'e',
        auditorId: 'a',
      }),
    ).toEqual({ type: 'AuditorRemoved', data: { engagementId: 'e', auditorId: 'a' } });
    expect(
      EngagementGrants.grantEventOf('io.attest.auditor-engagement.request-created.v1', {}),
    ).toBeUndefined();
  });
});
