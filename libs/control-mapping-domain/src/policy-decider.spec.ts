import { foldEvents } from '@attest/decider';
import type { PolicyTemplate } from '@attest/catalog';
import { checkedSpec, dana, marcus, priya, POLICY_ID, SET_ID, T0, T1, T2 } from './decider-test-support';
import { adoptedControlIdFor } from './ids';
import { contentSha256 } from './policy-content';
import { policyDecider, type PolicyCommand } from './policy-decider';
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
const approved = (version = '1.0.0', text = v1Text): PolicyEvent => ({
  type: 'PolicyApproved',
  data: {
    policyId: POLICY_ID,
    version,
    approver: dana,
    approvedAt: T1,
    contentSha256: contentSha256(text),
    actor: priya,
  },
});
const published = (version = '1.0.0', text = v1Text, supersedes?: string): PolicyEvent => ({
  type: 'PolicyPublished',
  data: {
    policyId: POLICY_ID,
    version,
    ...(supersedes ? { supersedesVersion: supersedes } : {}),
    effectiveDate: '2026-04-01',
    contentSha256: contentSha256(text),
    publishedAt: T1,
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
) => ({ type, policyId: POLICY_ID, ...rest, at, actor: priya }) as unknown as PolicyCommand;

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
    it('approves a draft with the approver, date and the hash of the approved text', () => {
      spec
        .given(adoptedEvents)
        .when(
          cmd(
            'ApprovePolicyVersion',
            { version: '1.0.0', approver: dana, approvalNote: 'April steering meeting' },
            T1,
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
              actor: priya,
            },
          },
        ]);
    });

    it('refuses a version that is not a draft', () => {
      spec
        .given([...adoptedEvents, approved()])
        .when(cmd('ApprovePolicyVersion', { version: '1.0.0', approver: dana }))
        .thenRefuses('policy-version-not-draft');
    });

    it('refuses an unknown version, even one named like a property every object has', () => {
      for (const version of ['2.0.0', 'constructor', '__proto__'])
        spec
          .given(adoptedEvents)
          .when(cmd('ApprovePolicyVersion', { version, approver: dana }))
          .thenRefuses('policy-version-not-found');
    });

    it('refuses an unknown policy', () => {
      spec
        .given([])
        .when(cmd('ApprovePolicyVersion', { version: '1.0.0', approver: dana }))
        .thenRefuses('policy-not-found');
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
    const accept = (version = '1.0.0', person = marcus) =>
      cmd('AcceptPolicy', { version, acceptanceId: ACCEPTANCE, person, method: 'in-app' });
    const accepted: PolicyEvent = {
      type: 'PolicyAccepted',
      data: {
        policyId: POLICY_ID,
        version: '1.0.0',
        acceptanceId: ACCEPTANCE,
        person: marcus,
        method: 'in-app',
        contentSha256: contentSha256(v1Text),
        acceptedAt: T2,
        actor: priya,
      },
    };

    it('records a person accepting the published version, with the hash of the text accepted', () => {
      spec.given(live).when(accept()).then([accepted]);
    });

    it('refuses the same person accepting the same version twice', () => {
      spec
        .given([...live, accepted])
        .when(accept())
        .thenRefuses('already-accepted');
    });

    it('takes a person id as a name, even one every object has as a property', () => {
      const state = foldEvents(decider, [...live, accepted]);
      const [event] = decider.decide(accept('1.0.0', { personId: 'constructor' }), state);
      expect(event.type).toBe('PolicyAccepted');
    });

    it('lets another person accept', () => {
      spec
        .given([...live, accepted])
        .when(accept('1.0.0', dana))
        .then([{ ...accepted, data: { ...accepted.data, person: dana } } as PolicyEvent]);
    });

    it('refuses a draft or approved version', () => {
      spec.given(adoptedEvents).when(accept()).thenRefuses('policy-version-not-published');
      spec
        .given([...adoptedEvents, approved()])
        .when(accept())
        .thenRefuses('policy-version-not-published');
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
});
