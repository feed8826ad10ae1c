import { foldEvents } from '@attest/decider';
import type { PolicyTemplate } from '@attest/catalog';
import type { Actor } from './actor';
import { checkedSpec, dana, marcus, priya, POLICY_ID, SET_ID, T0, T1, T2 } from './decider-test-support';
import { adoptedControlIdFor } from './ids';
import { contentSha256 } from './policy-content';
import { policyDecider, type ExistingPolicy, type PolicyCommand } from './policy-decider';
import type { PolicyEvent } from './policy-events';

const template: PolicyTemplate = {
  id: 'access-control',
  title: 'Access Control Policy',
  version: '1.0.0',
  summary: 'Who gets access to what.',
  owner: '{{policy_owner}}',
  reviewFrequency: 'annual',
  controls: ['GOV-01', 'AVL-01'],
  criteria: ['CC1.1', 'CC1.2'],
  placeholders: ['company_name', 'policy_owner'],
  body: '# Access Control Policy\n\n{{company_name}} grants access by role. Owner: {{policy_owner}}.\n',
};
const decider = policyDecider({
  catalogVersion: '1.0.0',
  templateById: (id) => (id === template.id ? template : undefined),
});
const spec = checkedSpec(decider);

/** Priya drafts (she adopted the policy), Dana approves, Marcus accepts: each acts as the signed-in user. */
const danaSignedIn: Actor = { type: 'user', id: dana.personId, displayName: dana.displayName };
const marcusSignedIn: Actor = { type: 'user', id: marcus.personId, displayName: marcus.displayName };
const scheduler: Actor = { type: 'system', id: 'system:deadline-sweep' };

const v1Text = '# Access Control Policy\n\nLumen grants access by role. Owner: {{policy_owner}}.\n';
const v11Text = v1Text + '\nAccess is reviewed quarterly.\n';
const GOV01 = adoptedControlIdFor(SET_ID, 'GOV-01');
const ACCEPTANCE = 'f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e';

const adoptedEvents: PolicyEvent[] = [
  {
    type: 'PolicyAdopted',
    data: {
      policyId: POLICY_ID,
      templateId: 'access-control',
      catalogVersion: '1.0.0',
      title: 'Access Control Policy',
      owner: marcus,
      reviewFrequency: 'annual',
      controlIds: [GOV01],
      criteria: ['CC1.1', 'CC1.2'],
      adoptedAt: T0,
      actor: priya,
    },
  },
  {
    type: 'PolicyVersionDrafted',
    data: {
      policyId: POLICY_ID,
      version: '1.0.0',
      changeSummary:
        'First version, from the Attest policy template "Access Control Policy" (catalog 1.0.0).',
      contentSha256: contentSha256(v1Text),
      draftedAt: T0,
      actor: priya,
    },
  },
  {
    type: 'PolicyVersionTextRecorded',
    data: {
      policyId: POLICY_ID,
      version: '1.0.0',
      contentSha256: contentSha256(v1Text),
      content: v1Text,
      recordedAt: T0,
      actor: priya,
    },
  },
];
const approved = (version = '1.0.0', text = v1Text, approvedAt = T1): PolicyEvent => ({
  type: 'PolicyApproved',
  data: {
    policyId: POLICY_ID,
    version,
    approver: dana,
    approvedAt,
    contentSha256: contentSha256(text),
    actor: danaSignedIn,
  },
});
const published = (version = '1.0.0', text = v1Text, supersedes?: string, publishedAt = T1): PolicyEvent => ({
  type: 'PolicyPublished',
  data: {
    policyId: POLICY_ID,
    version,
    ...(supersedes ? { supersedesVersion: supersedes } : {}),
    effectiveDate: '2026-04-01',
    contentSha256: contentSha256(text),
    publishedAt,
    actor: priya,
  },
});
const drafted11: PolicyEvent[] = [
  {
    type: 'PolicyVersionDrafted',
    data: {
      policyId: POLICY_ID,
      version: '1.1.0',
      basedOnVersion: '1.0.0',
      changeSummary: 'Quarterly reviews.',
      contentSha256: contentSha256(v11Text),
      draftedAt: T1,
      actor: priya,
    },
  },
  {
    type: 'PolicyVersionTextRecorded',
    data: {
      policyId: POLICY_ID,
      version: '1.1.0',
      contentSha256: contentSha256(v11Text),
      content: v11Text,
      recordedAt: T1,
      actor: priya,
    },
  },
];
const live = [...adoptedEvents, approved(), published()];

const cmd = <T extends PolicyCommand['type']>(
  type: T,
  rest: Omit<Extract<PolicyCommand, { type: T }>, 'type' | 'policyId' | 'at' | 'actor'>,
  at = T2,
  actor: Actor = priya,
) => ({ type, policyId: POLICY_ID, ...rest, at, actor }) as unknown as PolicyCommand;

describe('policy decider', () => {
  describe('AdoptPolicy', () => {
    const adopt = (templateId = 'access-control') =>
      cmd(
        'AdoptPolicy',
        {
          templateId,
          owner: marcus,
          adoptedControls: { 'GOV-01': GOV01 },
          placeholderValues: { company_name: 'Lumen' },
        },
        T0,
      );

    it('adopts a catalog template; its text, placeholders filled where given, is the first draft', () => {
      spec.given([]).when(adopt()).then(adoptedEvents);
    });

    it('refuses a policy that exists', () => {
      spec.given(adoptedEvents).when(adopt()).thenRefuses('policy-exists');
    });

    it('refuses an unknown template', () => {
      spec.given([]).when(adopt('no-such-policy')).thenRefuses('unknown-policy-template');
    });
  });

  describe('DraftPolicyVersion', () => {
    it('drafts the next version from edited text (version and base default to the next minor and the latest)', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('DraftPolicyVersion', { content: v11Text, changeSummary: 'Quarterly reviews.' }, T1))
        .then(drafted11);
    });

    it('refuses an existing version', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('DraftPolicyVersion', { version: '1.0.0', content: v11Text, changeSummary: 'x' }))
        .thenRefuses('policy-version-exists');
    });

    it('refuses a version older than the latest', () => {
      spec
        .given([...adoptedEvents, ...drafted11])
        .when(cmd('DraftPolicyVersion', { version: '1.0.5', content: 'new', changeSummary: 'x' }))
        .thenRefuses('policy-version-not-newer');
    });

    it('refuses an unknown base version', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('DraftPolicyVersion', { basedOnVersion: '0.9.0', content: 'new', changeSummary: 'x' }))
        .thenRefuses('base-version-not-found');
    });

    it('refuses text identical to the base version', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('DraftPolicyVersion', { content: v1Text, changeSummary: 'x' }))
        .thenRefuses('content-unchanged');
    });

    it('refuses an unknown policy', () => {
      spec
        .given([])
        .when(cmd('DraftPolicyVersion', { content: 'x', changeSummary: 'x' }))
        .thenRefuses('policy-not-found');
    });

    it('refuses a version or base that is not MAJOR.MINOR.PATCH, as a refusal rather than a crash', () => {
      for (const bad of [{ version: '1.1' }, { basedOnVersion: 'constructor' }])
        spec
          .given(adoptedEvents)
          .when(cmd('DraftPolicyVersion', { ...bad, content: 'new', changeSummary: 'x' }))
          .thenRefuses('invalid-policy-version');
    });
  });

  describe('ApprovePolicyVersion', () => {
    const approve = (version = '1.0.0', actor = danaSignedIn, at = T1) =>
      cmd('ApprovePolicyVersion', { version }, at, actor);

    it('records the caller as the approver, at the time of the request, with the hash of the approved text', () => {
      spec
        .given(adoptedEvents)
        .when(
          cmd(
            'ApprovePolicyVersion',
            { version: '1.0.0', approvalNote: 'April steering meeting' },
            T1,
            danaSignedIn,
          ),
        )
        .then([
          {
            type: 'PolicyApproved',
            data: {
              policyId: POLICY_ID,
              version: '1.0.0',
              approver: dana,
              approvedAt: T1,
              contentSha256: contentSha256(v1Text),
              approvalNote: 'April steering meeting',
              actor: danaSignedIn,
            },
          },
        ]);
    });

    it('refuses the drafter as approver, of the first version as of a later draft', () => {
      spec.given(adoptedEvents).when(approve('1.0.0', priya)).thenRefuses('approver-is-drafter');
      spec
        .given([...live, ...drafted11])
        .when(approve('1.1.0', priya, T2))
        .thenRefuses('approver-is-drafter');
    });

    it('lets someone other than the drafter approve a later draft, the first version’s approver too', () => {
      spec
        .given([...live, ...drafted11])
        .when(approve('1.1.0', danaSignedIn, T2))
        .then([approved('1.1.0', v11Text, T2)]);
    });

    it('refuses an approval by anyone but a person (a service or scheduled job)', () => {
      spec.given(adoptedEvents).when(approve('1.0.0', scheduler)).thenRefuses('actor-not-a-person');
    });

    it('refuses an approval dated before the draft (an event replayed with an earlier time)', () => {
      spec
        .given(adoptedEvents)
        .when(approve('1.0.0', danaSignedIn, '2026-03-06T09:59:59.999Z'))
        .thenRefuses('approved-before-drafted');
    });

    it('refuses a version that is not a draft', () => {
      spec
        .given([...adoptedEvents, approved()])
        .when(approve())
        .thenRefuses('policy-version-not-draft');
    });

    it('refuses an unknown version, even one named like a property every object has', () => {
      for (const version of ['2.0.0', 'constructor', '__proto__'])
        spec.given(adoptedEvents).when(approve(version)).thenRefuses('policy-version-not-found');
    });

    it('refuses an unknown policy', () => {
      spec.given([]).when(approve()).thenRefuses('policy-not-found');
    });
  });

  describe('PublishPolicyVersion', () => {
    it('publishes an approved version with its effective date', () => {
      spec
        .given([...adoptedEvents, approved()])
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-04-01' }, T1))
        .then([published()]);
    });

    it('a newer published version supersedes the one in force', () => {
      spec
        .given([...live, ...drafted11, approved('1.1.0', v11Text)])
        .when(
          cmd(
            'PublishPolicyVersion',
            {
              version: '1.1.0',
              effectiveDate: '2026-04-01',
              documentUrl: 'https://trust.example/policies/ac',
            },
            T1,
          ),
        )
        .then([
          {
            type: 'PolicyPublished',
            data: {
              policyId: POLICY_ID,
              version: '1.1.0',
              supersedesVersion: '1.0.0',
              effectiveDate: '2026-04-01',
              contentSha256: contentSha256(v11Text),
              documentUrl: 'https://trust.example/policies/ac',
              publishedAt: T1,
              actor: priya,
            },
          },
        ]);
    });

    it('makes the next review due one review period after publication', () => {
      const state = foldEvents(decider, live) as ExistingPolicy;
      expect(state.nextReviewDue).toBe('2027-03-07');
    });

    it('refuses an effective date before the approval', () => {
      spec
        .given([...adoptedEvents, approved()])
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-03-06' }, T1))
        .thenRefuses('effective-date-before-approval');
    });

    it('refuses a publication dated before the approval (an event replayed with an earlier time)', () => {
      spec
        .given([...adoptedEvents, approved()])
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-04-01' }, T0))
        .thenRefuses('published-before-approved');
    });

    it('refuses a draft', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-04-01' }))
        .thenRefuses('policy-version-not-approved');
    });

    it('refuses publishing twice', () => {
      spec
        .given(live)
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-04-01' }))
        .thenRefuses('policy-version-already-published');
    });

    it('refuses a version older than the one in force', () => {
      const v2 = 'version two';
      const history: PolicyEvent[] = [
        ...adoptedEvents,
        ...drafted11,
        {
          type: 'PolicyVersionDrafted',
          data: {
            policyId: POLICY_ID,
            version: '2.0.0',
            basedOnVersion: '1.1.0',
            changeSummary: 'Rewrite',
            contentSha256: contentSha256(v2),
            draftedAt: T1,
            actor: priya,
          },
        },
        approved('1.1.0', v11Text),
        approved('2.0.0', v2),
        published('2.0.0', v2),
      ];
      spec
        .given(history)
        .when(cmd('PublishPolicyVersion', { version: '1.1.0', effectiveDate: '2026-04-01' }))
        .thenRefuses('policy-version-older-than-published');
    });

    it('refuses an unknown version', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('PublishPolicyVersion', { version: '3.0.0', effectiveDate: '2026-04-01' }))
        .thenRefuses('policy-version-not-found');
    });

    it('refuses an unknown policy', () => {
      spec
        .given([])
        .when(cmd('PublishPolicyVersion', { version: '1.0.0', effectiveDate: '2026-04-01' }))
        .thenRefuses('policy-not-found');
    });
  });

  describe('RequirePolicyAcceptance', () => {
    const required = (roles: string[], dueDate = '2026-04-30'): PolicyEvent => ({
      type: 'PolicyAcceptanceRequired',
      data: { policyId: POLICY_ID, version: '1.0.0', roles, dueDate, requiredAt: T2, actor: priya },
    });

    it('requires roles to accept the version in force by a due date', () => {
      spec
        .given(live)
        .when(cmd('RequirePolicyAcceptance', { roles: ['employee', 'contractor'], dueDate: '2026-04-30' }))
        .then([required(['employee', 'contractor'])]);
    });

    it('adds only the roles not yet required by that date', () => {
      spec
        .given([...live, required(['employee'])])
        .when(
          cmd('RequirePolicyAcceptance', {
            version: '1.0.0',
            roles: ['employee', 'contractor'],
            dueDate: '2026-04-30',
          }),
        )
        .then([required(['contractor'])]);
    });

    it('refuses roles already required by that date', () => {
      spec
        .given([...live, required(['employee'])])
        .when(cmd('RequirePolicyAcceptance', { roles: ['employee'], dueDate: '2026-04-30' }))
        .thenRefuses('acceptance-already-required');
    });

    it('refuses when nothing is published', () => {
      spec
        .given(adoptedEvents)
        .when(cmd('RequirePolicyAcceptance', { roles: ['employee'], dueDate: '2026-04-30' }))
        .thenRefuses('no-published-version');
    });

    it('refuses a version that is not published', () => {
      spec
        .given([...live, ...drafted11])
        .when(
          cmd('RequirePolicyAcceptance', { version: '1.1.0', roles: ['employee'], dueDate: '2026-04-30' }),
        )
        .thenRefuses('policy-version-not-published');
    });

    it('refuses an unknown version', () => {
      spec
        .given(live)
        .when(
          cmd('RequirePolicyAcceptance', { version: '4.0.0', roles: ['employee'], dueDate: '2026-04-30' }),
        )
        .thenRefuses('policy-version-not-found');
    });

    it('refuses a due date in the past', () => {
      spec
        .given(live)
        .when(cmd('RequirePolicyAcceptance', { roles: ['employee'], dueDate: '2026-03-01' }))
        .thenRefuses('due-date-in-past');
    });

    it('refuses an unknown policy', () => {
      spec
        .given([])
        .when(cmd('RequirePolicyAcceptance', { roles: ['employee'], dueDate: '2026-04-30' }))
        .thenRefuses('policy-not-found');
    });
  });

  describe('AcceptPolicy', () => {
    const v1Hash = contentSha256(v1Text);
    const accept = (
      version = '1.0.0',
      actor = marcusSignedIn,
      extra: { contentSha256?: string; directoryRecord?: typeof marcus } = {},
      at = T2,
    ) =>
      cmd(
        'AcceptPolicy',
        {
          version,
          acceptanceId: ACCEPTANCE,
          contentSha256: v1Hash,
          method: 'in-app',
          reacceptanceMonths: 12,
          ...extra,
        },
        at,
        actor,
      );
    const accepted: PolicyEvent = {
      type: 'PolicyAccepted',
      data: {
        policyId: POLICY_ID,
        version: '1.0.0',
        acceptanceId: ACCEPTANCE,
        person: { personId: marcus.personId, displayName: 'Marcus Chen' },
        method: 'in-app',
        contentSha256: v1Hash,
        acceptedAt: T2,
        actor: marcusSignedIn,
      },
    };

    it('records the signed-in person accepting the version in force, with the hash of the text they read', () => {
      spec.given(live).when(accept()).then([accepted]);
    });

    it('records the person as the people directory knows them when the app found their record', () => {
      const record = {
        personId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
        displayName: 'Marcus Chen',
        email: 'marcus.chen@lumen.example',
      };
      spec
        .given(live)
        .when(accept('1.0.0', marcusSignedIn, { directoryRecord: record }))
        .then([{ ...accepted, data: { ...accepted.data, person: record } } as PolicyEvent]);
    });

    it('accepts for nobody but the actor: someone else is recorded as themself, never as the person named', () => {
      // The command names no person to accept for; Dana accepting is Dana's acceptance, not Marcus's.
      const [event] = spec
        .given([...live, accepted])
        .when(accept('1.0.0', danaSignedIn))
        .then([
          {
            ...accepted,
            data: { ...accepted.data, person: dana, actor: danaSignedIn },
          } as PolicyEvent,
        ]);
      expect(event.data).not.toMatchObject({ person: { personId: marcus.personId } });
    });

    it('refuses an acceptance by anyone but a person, even with a directory record', () => {
      spec.given(live).when(accept('1.0.0', scheduler)).thenRefuses('actor-not-a-person');
      spec
        .given(live)
        .when(accept('1.0.0', scheduler, { directoryRecord: marcus }))
        .thenRefuses('actor-not-a-person');
    });

    it('refuses the same person accepting the same version again within the re-acceptance period', () => {
      spec
        .given([...live, accepted])
        .when(accept())
        .thenRefuses('already-accepted');
      spec
        .given([...live, accepted])
        .when(accept('1.0.0', marcusSignedIn, {}, '2027-03-07T23:59:59.000Z'))
        .thenRefuses('already-accepted');
    });

    it('takes the yearly re-acceptance of the same version once the last acceptance is a year old', () => {
      const RENEWAL = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
      const renewed = {
        ...accepted,
        data: { ...accepted.data, acceptanceId: RENEWAL, acceptedAt: '2027-03-08T08:00:00.000Z' },
      } as PolicyEvent;
      spec
        .given([...live, accepted])
        .when(
          cmd(
            'AcceptPolicy',
            {
              version: '1.0.0',
              acceptanceId: RENEWAL,
              contentSha256: v1Hash,
              method: 'in-app',
              reacceptanceMonths: 12,
            },
            '2027-03-08T08:00:00.000Z',
            marcusSignedIn,
          ),
        )
        .then([renewed]);
      const state = foldEvents(decider, [...live, accepted, renewed]) as ExistingPolicy;
      expect(state.acceptances['1.0.0'][marcus.personId]).toBe(RENEWAL);
      expect(state.lastAcceptedAt[marcus.personId]).toBe('2027-03-08T08:00:00.000Z');
    });

    it('takes a person id as a name, even one every object has as a property', () => {
      const state = foldEvents(decider, [...live, accepted]);
      const [event] = decider.decide(
        accept('1.0.0', marcusSignedIn, { directoryRecord: { personId: 'constructor' } }),
        state,
      );
      expect(event.type).toBe('PolicyAccepted');
    });

    it('refuses a text other than the published one (a hash that does not match)', () => {
      spec
        .given(live)
        .when(accept('1.0.0', marcusSignedIn, { contentSha256: contentSha256(v11Text) }))
        .thenRefuses('policy-version-hash-mismatch');
    });

    it('refuses a version before its publication: a draft, an approved one', () => {
      spec.given(adoptedEvents).when(accept()).thenRefuses('policy-version-not-published');
      spec
        .given([...adoptedEvents, approved()])
        .when(accept())
        .thenRefuses('policy-version-not-published');
    });

    it('refuses an acceptance dated before the publication (an event replayed with an earlier time)', () => {
      spec
        .given(live)
        .when(accept('1.0.0', marcusSignedIn, {}, T0))
        .thenRefuses('accepted-before-published');
    });

    it('refuses a superseded version', () => {
      spec
        .given([...live, ...drafted11, approved('1.1.0', v11Text), published('1.1.0', v11Text, '1.0.0')])
        .when(accept('1.0.0'))
        .thenRefuses('policy-version-superseded');
    });

    it('refuses an unknown version', () => {
      spec.given(live).when(accept('7.0.0')).thenRefuses('policy-version-not-found');
    });

    it('refuses an unknown policy', () => {
      spec.given([]).when(accept()).thenRefuses('policy-not-found');
    });
  });

  describe('ReviewPolicy', () => {
    const REVIEWED_AT = '2027-02-20T14:00:00.000Z';
    const review = (
      rest: { version?: string; notes?: string } = {},
      actor = danaSignedIn,
      at = REVIEWED_AT,
    ) => cmd('ReviewPolicy', { outcome: 'unchanged', ...rest }, at, actor);
    const reviewed: PolicyEvent = {
      type: 'PolicyReviewed',
      data: {
        policyId: POLICY_ID,
        version: '1.0.0',
        contentSha256: contentSha256(v1Text),
        reviewer: dana,
        outcome: 'unchanged',
        notes: 'Still matches how access is granted.',
        reviewedAt: REVIEWED_AT,
        nextReviewDue: '2028-02-20',
        actor: danaSignedIn,
      },
    };

    it("records an unchanged policy's annual review: reviewer, text reviewed, and the next review a year on", () => {
      spec
        .given(live)
        .when(review({ notes: 'Still matches how access is granted.' }))
        .then([reviewed]);
      const state = foldEvents(decider, [...live, reviewed]) as ExistingPolicy;
      expect(state).toMatchObject({
        publishedVersion: '1.0.0',
        nextReviewDue: '2028-02-20',
        lastReview: { version: '1.0.0', reviewer: dana, outcome: 'unchanged', reviewedAt: REVIEWED_AT },
      });
    });

    it('is how an unchanged policy is reviewed: drafting the same text again is still refused', () => {
      spec
        .given(live)
        .when(cmd('DraftPolicyVersion', { content: v1Text, changeSummary: 'Annual review, no changes.' }))
        .thenRefuses('content-unchanged');
    });

    it('a later publication moves the next review from the last review to a period after the publication', () => {
      const later = [
        ...live,
        reviewed,
        ...drafted11,
        approved('1.1.0', v11Text),
        published('1.1.0', v11Text, '1.0.0', '2028-05-02T08:00:00.000Z'),
      ];
      expect((foldEvents(decider, later) as ExistingPolicy).nextReviewDue).toBe('2029-05-02');
    });

    it('refuses a policy with nothing published, and a version that is not the one in force', () => {
      spec.given(adoptedEvents).when(review()).thenRefuses('no-published-version');
      spec
        .given([...live, ...drafted11])
        .when(review({ version: '1.1.0' }))
        .thenRefuses('policy-version-not-published');
      spec
        .given([...live, ...drafted11, approved('1.1.0', v11Text), published('1.1.0', v11Text, '1.0.0')])
        .when(review({ version: '1.0.0' }))
        .thenRefuses('policy-version-superseded');
    });

    it('refuses a review by anyone but a person, and one dated before the publication', () => {
      spec.given(live).when(review({}, scheduler)).thenRefuses('actor-not-a-person');
      spec
        .given(live)
        .when(review({}, danaSignedIn, T0))
        .thenRefuses('reviewed-before-published');
    });
  });

  describe('SetPolicyAudience', () => {
    const engineeringContractors = {
      scope: 'selected' as const,
      departments: ['Engineering'],
      employmentTypes: ['contractor' as const],
    };
    const audienceSet: PolicyEvent = {
      type: 'PolicyAudienceSet',
      data: { policyId: POLICY_ID, audience: engineeringContractors, setAt: T2, actor: priya },
    };

    it('applies to everyone until an audience is set', () => {
      expect((foldEvents(decider, live) as ExistingPolicy).audience).toEqual({ scope: 'everyone' });
    });

    it('sets the audience in one canonical form (trimmed, deduplicated, sorted, no empty lists)', () => {
      spec
        .given(live)
        .when(
          cmd('SetPolicyAudience', {
            audience: {
              scope: 'selected',
              roles: [],
              departments: [' Engineering', 'Engineering'],
              employmentTypes: ['contractor'],
            },
          }),
        )
        .then([audienceSet]);
      expect((foldEvents(decider, [...live, audienceSet]) as ExistingPolicy).audience).toEqual(
        engineeringContractors,
      );
    });

    it('records nothing when the audience does not change', () => {
      spec
        .given([...live, audienceSet])
        .when(
          cmd('SetPolicyAudience', {
            audience: { ...engineeringContractors, departments: ['Engineering '] },
          }),
        )
        .then([]);
      spec
        .given(live)
        .when(cmd('SetPolicyAudience', { audience: { scope: 'everyone' } }))
        .then([]);
    });

    it('sets it back to everyone', () => {
      spec
        .given([...live, audienceSet])
        .when(cmd('SetPolicyAudience', { audience: { scope: 'everyone' } }))
        .then([
          { ...audienceSet, data: { ...audienceSet.data, audience: { scope: 'everyone' } } } as PolicyEvent,
        ]);
    });

    it('refuses a selection that selects nobody', () => {
      spec
        .given(live)
        .when(cmd('SetPolicyAudience', { audience: { scope: 'selected', roles: [' '] } }))
        .thenRefuses('audience-empty');
      spec
        .given(live)
        .when(cmd('SetPolicyAudience', { audience: { scope: 'selected' } }))
        .thenRefuses('audience-empty');
    });

    it('refuses an unknown policy', () => {
      spec
        .given([])
        .when(cmd('SetPolicyAudience', { audience: { scope: 'everyone' } }))
        .thenRefuses('policy-not-found');
    });
  });
});
