import type { PolicyTemplate } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import { dateOf, type Actor, type Person } from './actor';
import {
  comparePolicyVersions,
  contentSha256,
  fillKnownPlaceholders,
  isPolicyVersion,
  nextPolicyVersion,
} from './policy-content';
import { normalizeAudience, sameAudience, type PolicyAudience } from './policy-audience';
import {
  REVIEW_FREQUENCIES,
  type AcceptanceMethod,
  type PolicyEvent,
  type PolicyReviewOutcome,
  type ReviewFrequency,
} from './policy-events';
import { addCalendarMonths } from '@attest/deadlines';
import { nextReviewDue } from './policy-review';

/** A policy version's life: draft → approved → published → superseded (when a newer version is published). */
export type PolicyVersionStatus = 'draft' | 'approved' | 'published' | 'superseded';

export interface PolicyVersionState {
  version: string;
  status: PolicyVersionStatus;
  contentSha256: string;
  basedOnVersion?: string;
  changeSummary: string;
  draftedAt: string;
  /** Who drafted it: never its approver. */
  draftedBy: Actor;
  approval?: { approver: Person; approvedAt: string; approvalNote?: string };
  publication?: { effectiveDate: string; publishedAt: string; documentUrl?: string };
}

export interface ExistingPolicy {
  kind: 'policy';
  policyId: string;
  title: string;
  templateId?: string;
  catalogVersion?: string;
  owner: Person;
  reviewFrequency: ReviewFrequency;
  controlIds: string[];
  criteria: string[];
  versions: Record<string, PolicyVersionState>;
  /** The published version in force. */
  publishedVersion?: string;
  /** Who must accept the version in force. */
  audience: PolicyAudience;
  /** The last periodic review of an unchanged policy. */
  lastReview?: {
    version: string;
    contentSha256: string;
    reviewer: Person;
    outcome: PolicyReviewOutcome;
    notes?: string;
    reviewedAt: string;
  };
  /** YYYY-MM-DD: the review frequency after the last publication or review; absent until published. */
  nextReviewDue?: string;
  /** Roles that must accept, per version, with their due date. */
  acceptanceRequirements: Record<string, Record<string, string>>;
  /** The latest acceptance id per version and person. */
  acceptances: Record<string, Record<string, string>>;
  /** Per person, when they last accepted the policy (any version). */
  lastAcceptedAt: Record<string, string>;
}

export type PolicyState = { kind: 'none' } | ExistingPolicy;

interface CommandBase {
  policyId: string;
  at: string;
  actor: Actor;
}

export type PolicyCommand =
  | (CommandBase & {
      type: 'AdoptPolicy';
      templateId: string;
      title?: string;
      owner: Person;
      reviewFrequency?: ReviewFrequency;
      /** The organization's adopted controls by catalog control id, to link the template's controls. */
      adoptedControls: Record<string, string>;
      /** Values for the template's placeholders; those not given stay in the first draft. */
      placeholderValues?: Record<string, string>;
    })
  | (CommandBase & {
      type: 'DraftPolicyVersion';
      version?: string;
      basedOnVersion?: string;
      content: string;
      changeSummary: string;
    })
  /** The approver is the actor, who must not be the version's drafter. */
  | (CommandBase & { type: 'ApprovePolicyVersion'; version: string; approvalNote?: string })
  | (CommandBase & {
      type: 'PublishPolicyVersion';
      version: string;
      effectiveDate: string;
      documentUrl?: string;
    })
  | (CommandBase & { type: 'RequirePolicyAcceptance'; version?: string; roles: string[]; dueDate: string })
  /**
   * The person accepting is the actor: their record in the people directory when the app found one for them (by
   * the token's subject), else the actor themself. `contentSha256` is the hash of the text they read. A person
   * accepts the same version again once their last acceptance is `reacceptanceMonths` old (the organization's
   * yearly re-acceptance), not before.
   */
  | (CommandBase & {
      type: 'AcceptPolicy';
      version: string;
      acceptanceId: string;
      contentSha256: string;
      method: AcceptanceMethod;
      reacceptanceMonths: number;
      directoryRecord?: Person;
    })
  /** The reviewer is the actor; `version` defaults to the version in force and must be it. */
  | (CommandBase & { type: 'ReviewPolicy'; version?: string; outcome: PolicyReviewOutcome; notes?: string })
  | (CommandBase & { type: 'SetPolicyAudience'; audience: PolicyAudience });

/** Where policy templates come from (the catalog's, by default), and the catalog version they belong to. */
export interface PolicyTemplateSource {
  catalogVersion: string;
  templateById(id: string): PolicyTemplate | undefined;
}

/** The refusals of the policy decider, with the HTTP status a service answers them with (409 when not listed). */
export const POLICY_REFUSALS = {
  'policy-not-found': 404,
  'policy-version-not-found': 404,
  'unknown-policy-template': 422,
  'invalid-policy-version': 422,
  'base-version-not-found': 422,
  'due-date-in-past': 422,
  'audience-empty': 422,
  'effective-date-before-approval': 422,
  // Segregation of duties: the version's history (who drafted it) forbids this caller, whatever their permission.
  'approver-is-drafter': 409,
  'policy-version-hash-mismatch': 409,
  'actor-not-a-person': 409,
  'approved-before-drafted': 409,
  'published-before-approved': 409,
  'accepted-before-published': 409,
  'reviewed-before-published': 409,
} as const;

/** The refusal for a policy the organization does not have (404). */
export function policyNotFound(policyId: string): DomainError {
  return new DomainError('policy-not-found', `policy ${policyId} does not exist`, { policyId });
}

function existing(state: PolicyState, policyId: string): ExistingPolicy {
  if (state.kind === 'none') throw policyNotFound(policyId);
  return state;
}

/** Whether the policy has this version (an own key: a version is never a property every object inherits). */
function hasVersion(policy: ExistingPolicy, version: string): boolean {
  return Object.hasOwn(policy.versions, version);
}

function versionOf(policy: ExistingPolicy, version: string): PolicyVersionState {
  const v = hasVersion(policy, version) ? policy.versions[version] : undefined;
  if (!v)
    throw new DomainError('policy-version-not-found', `policy version ${version} does not exist`, {
      version,
    });
  return v;
}

type PublishedVersion = PolicyVersionState & Required<Pick<PolicyVersionState, 'publication'>>;

/** The version in force, refused as superseded or not published otherwise. */
function inForce(policy: ExistingPolicy, version: string): PublishedVersion {
  const v = versionOf(policy, version);
  if (v.status === 'superseded')
    throw new DomainError(
      'policy-version-superseded',
      `version ${v.version} was replaced by ${policy.publishedVersion}; the version in force is the one to use`,
      { version: v.version, publishedVersion: policy.publishedVersion },
    );
  if (v.status !== 'published' || !v.publication)
    throw new DomainError(
      'policy-version-not-published',
      `version ${v.version} is ${v.status}, not published`,
      {
        version: v.version,
        status: v.status,
      },
    );
  return { ...v, publication: v.publication };
}

/** The actor as the person who approves, accepts or reviews: only a signed-in person does. */
function actorAsPerson(actor: Actor, what: string): Person {
  if (actor.type !== 'user')
    throw new DomainError('actor-not-a-person', `only a person ${what}`, { actorType: actor.type });
  return { personId: actor.id, ...(actor.displayName ? { displayName: actor.displayName } : {}) };
}

/**
 * Times are the server's, so each step follows the one before; events replayed or imported with earlier times
 * are refused rather than recorded out of order (an approval before the draft, an acceptance before publication).
 */
function notBefore(at: string, earliest: string, code: string, message: string): void {
  if (Date.parse(at) < Date.parse(earliest)) throw new DomainError(code, message, { at, earliest });
}

/**
 * The decider of a policy (stream type `policy`, stream id = policyId): adopted from a catalog template (its
 * first draft is the template text), drafted in new versions, approved by someone other than the drafter,
 * published with an effective date, acceptance required from roles, accepted by people, reviewed periodically.
 * Only the published version in force can be accepted or reviewed, and only by the signed-in person themself.
 */
export function policyDecider(
  templates: PolicyTemplateSource,
): Decider<PolicyCommand, PolicyEvent, PolicyState> {
  return {
    initialState: () => ({ kind: 'none' }),
    evolve: evolvePolicy,
    decide: (command, state) => decidePolicy(command, state, templates),
  };
}

export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  if (event.type === 'PolicyAdopted') {
    const d = event.data;
    return {
      kind: 'policy',
      policyId: d.policyId,
      title: d.title,
      ...(d.templateId ? { templateId: d.templateId, catalogVersion: d.catalogVersion } : {}),
      owner: d.owner,
      reviewFrequency: d.reviewFrequency,
      controlIds: [...d.controlIds],
      criteria: [...d.criteria],
      versions: {},
      audience: { scope: 'everyone' },
      acceptanceRequirements: {},
      acceptances: {},
      lastAcceptedAt: {},
    };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'PolicyVersionDrafted': {
      const d = event.data;
      return {
        ...state,
        versions: {
          ...state.versions,
          [d.version]: {
            version: d.version,
            status: 'draft',
            contentSha256: d.contentSha256,
            ...(d.basedOnVersion ? { basedOnVersion: d.basedOnVersion } : {}),
            changeSummary: d.changeSummary,
            draftedAt: d.draftedAt,
            draftedBy: d.actor,
          },
        },
      };
    }
    case 'PolicyVersionTextRecorded':
      return state;
    case 'PolicyApproved': {
      const d = event.data;
      const v = state.versions[d.version];
      return {
        ...state,
        versions: {
          ...state.versions,
          [d.version]: {
            ...v,
            status: 'approved',
            approval: {
              approver: d.approver,
              approvedAt: d.approvedAt,
              ...(d.approvalNote ? { approvalNote: d.approvalNote } : {}),
            },
          },
        },
      };
    }
    case 'PolicyPublished': {
      const d = event.data;
      const versions = { ...state.versions };
      if (d.supersedesVersion && versions[d.supersedesVersion])
        versions[d.supersedesVersion] = { ...versions[d.supersedesVersion], status: 'superseded' };
      versions[d.version] = {
        ...versions[d.version],
        status: 'published',
        publication: {
          effectiveDate: d.effectiveDate,
          publishedAt: d.publishedAt,
          ...(d.documentUrl ? { documentUrl: d.documentUrl } : {}),
        },
      };
      return {
        ...state,
        versions,
        publishedVersion: d.version,
        nextReviewDue: nextReviewDue(d.publishedAt, state.reviewFrequency),
      };
    }
    case 'PolicyAcceptanceRequired': {
      const d = event.data;
      const roles = { ...(state.acceptanceRequirements[d.version] ?? {}) };
      for (const role of d.roles) roles[role] = d.dueDate;
      return { ...state, acceptanceRequirements: { ...state.acceptanceRequirements, [d.version]: roles } };
    }
    case 'PolicyAccepted': {
      const d = event.data;
      return {
        ...state,
        acceptances: {
          ...state.acceptances,
          [d.version]: { ...(state.acceptances[d.version] ?? {}), [d.person.personId]: d.acceptanceId },
        },
        lastAcceptedAt: { ...state.lastAcceptedAt, [d.person.personId]: d.acceptedAt },
      };
    }
    case 'PolicyAudienceSet':
      return { ...state, audience: event.data.audience };
    case 'PolicyReviewed': {
      const d = event.data;
      return {
        ...state,
        lastReview: {
          version: d.version,
          contentSha256: d.contentSha256,
          reviewer: d.reviewer,
          outcome: d.outcome,
          ...(d.notes ? { notes: d.notes } : {}),
          reviewedAt: d.reviewedAt,
        },
        nextReviewDue: d.nextReviewDue,
      };
    }
  }
}

function decidePolicy(
  command: PolicyCommand,
  state: PolicyState,
  templates: PolicyTemplateSource,
): PolicyEvent[] {
  if (command.type === 'AdoptPolicy') {
    if (state.kind !== 'none')
      throw new DomainError('policy-exists', `policy ${command.policyId} already exists`, {
        policyId: command.policyId,
      });
    const template = templates.templateById(command.templateId);
    if (!template)
      throw new DomainError(
        'unknown-policy-template',
        `the catalog has no policy template ${command.templateId}`,
        {
          templateId: command.templateId,
        },
      );
    const content = fillKnownPlaceholders(template.body, command.placeholderValues ?? {});
    const sha = contentSha256(content);
    const reviewFrequency =
      command.reviewFrequency ??
      ((REVIEW_FREQUENCIES as readonly string[]).includes(template.reviewFrequency)
        ? (template.reviewFrequency as ReviewFrequency)
        : 'annual');
    const controlIds = [
      ...new Set(
        template.controls.map((id) => command.adoptedControls[id]).filter((id): id is string => !!id),
      ),
    ];
    const title = command.title ?? template.title;
    return [
      {
        type: 'PolicyAdopted',
        data: {
          policyId: command.policyId,
          templateId: template.id,
          catalogVersion: templates.catalogVersion,
          title,
          owner: command.owner,
          reviewFrequency,
          controlIds,
          criteria: [...template.criteria],
          adoptedAt: command.at,
          actor: command.actor,
        },
      },
      {
        type: 'PolicyVersionDrafted',
        data: {
          policyId: command.policyId,
          version: '1.0.0',
          changeSummary: `First version, from the Attest policy template "${template.title}" (catalog ${templates.catalogVersion}).`,
          contentSha256: sha,
          draftedAt: command.at,
          actor: command.actor,
        },
      },
      {
        type: 'PolicyVersionTextRecorded',
        data: {
          policyId: command.policyId,
          version: '1.0.0',
          contentSha256: sha,
          content,
          recordedAt: command.at,
          actor: command.actor,
        },
      },
    ];
  }

  const policy = existing(state, command.policyId);
  switch (command.type) {
    case 'DraftPolicyVersion': {
      for (const given of [command.version, command.basedOnVersion])
        if (given !== undefined && !isPolicyVersion(given))
          throw new DomainError('invalid-policy-version', `${given} is not a version MAJOR.MINOR.PATCH`, {
            version: given,
          });
      const known = Object.keys(policy.versions);
      const version = command.version ?? nextPolicyVersion(known);
      if (hasVersion(policy, version))
        throw new DomainError('policy-version-exists', `version ${version} already exists`, { version });
      const highest = [...known].sort(comparePolicyVersions).pop();
      if (highest && comparePolicyVersions(version, highest) <= 0)
        throw new DomainError('policy-version-not-newer', `version ${version} is not newer than ${highest}`, {
          version,
          highest,
        });
      const basedOn = command.basedOnVersion ?? highest;
      if (basedOn && !hasVersion(policy, basedOn))
        throw new DomainError('base-version-not-found', `version ${basedOn} does not exist`, {
          basedOnVersion: basedOn,
        });
      const sha = contentSha256(command.content);
      if (basedOn && policy.versions[basedOn].contentSha256 === sha)
        throw new DomainError('content-unchanged', `the text is the same as version ${basedOn}`, {
          basedOnVersion: basedOn,
        });
      return [
        {
          type: 'PolicyVersionDrafted',
          data: {
            policyId: policy.policyId,
            version,
            ...(basedOn ? { basedOnVersion: basedOn } : {}),
            changeSummary: command.changeSummary,
            contentSha256: sha,
            draftedAt: command.at,
            actor: command.actor,
          },
        },
        {
          type: 'PolicyVersionTextRecorded',
          data: {
            policyId: policy.policyId,
            version,
            contentSha256: sha,
            content: command.content,
            recordedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'ApprovePolicyVersion': {
      const v = versionOf(policy, command.version);
      if (v.status !== 'draft')
        throw new DomainError(
          'policy-version-not-draft',
          `version ${v.version} is ${v.status}, not a draft`,
          {
            version: v.version,
            status: v.status,
          },
        );
      const approver = actorAsPerson(command.actor, 'approves a policy');
      if (command.actor.id === v.draftedBy.id)
        throw new DomainError(
          'approver-is-drafter',
          `version ${v.version} was drafted by the caller; someone else must approve it`,
          { version: v.version },
        );
      notBefore(
        command.at,
        v.draftedAt,
        'approved-before-drafted',
        'a version is approved after it is drafted',
      );
      return [
        {
          type: 'PolicyApproved',
          data: {
            policyId: policy.policyId,
            version: v.version,
            approver,
            approvedAt: command.at,
            contentSha256: v.contentSha256,
            ...(command.approvalNote ? { approvalNote: command.approvalNote } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    case 'PublishPolicyVersion': {
      const v = versionOf(policy, command.version);
      if (v.status === 'draft')
        throw new DomainError('policy-version-not-approved', `version ${v.version} must be approved first`, {
          version: v.version,
        });
      if (v.status !== 'approved' || !v.approval)
        throw new DomainError(
          'policy-version-already-published',
          `version ${v.version} was already published`,
          {
            version: v.version,
            status: v.status,
          },
        );
      const { approvedAt } = v.approval;
      if (command.effectiveDate < dateOf(approvedAt))
        throw new DomainError(
          'effective-date-before-approval',
          `the effective date ${command.effectiveDate} is before the approval on ${dateOf(approvedAt)}`,
          { effectiveDate: command.effectiveDate, approvedAt },
        );
      notBefore(
        command.at,
        approvedAt,
        'published-before-approved',
        'a version is published after its approval',
      );
      const current = policy.publishedVersion;
      if (current && comparePolicyVersions(v.version, current) < 0)
        throw new DomainError(
          'policy-version-older-than-published',
          `version ${v.version} is older than ${current}, the version in force`,
          { version: v.version, publishedVersion: current },
        );
      return [
        {
          type: 'PolicyPublished',
          data: {
            policyId: policy.policyId,
            version: v.version,
            ...(current ? { supersedesVersion: current } : {}),
            effectiveDate: command.effectiveDate,
            contentSha256: v.contentSha256,
            ...(command.documentUrl ? { documentUrl: command.documentUrl } : {}),
            publishedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'RequirePolicyAcceptance': {
      const version = command.version ?? policy.publishedVersion;
      if (!version)
        throw new DomainError('no-published-version', 'the policy has no published version to accept yet');
      const v = versionOf(policy, version);
      if (v.status !== 'published')
        throw new DomainError(
          'policy-version-not-published',
          `only the published version in force can be required; ${version} is ${v.status}`,
          { version, status: v.status },
        );
      if (command.dueDate < dateOf(command.at))
        throw new DomainError('due-date-in-past', `due date ${command.dueDate} is in the past`, {
          dueDate: command.dueDate,
        });
      const already = policy.acceptanceRequirements[version] ?? {};
      const roles = [...new Set(command.roles)].filter((r) => already[r] !== command.dueDate);
      if (roles.length === 0)
        throw new DomainError(
          'acceptance-already-required',
          'these roles are already required to accept this version by that date',
          { version, roles: command.roles },
        );
      return [
        {
          type: 'PolicyAcceptanceRequired',
          data: {
            policyId: policy.policyId,
            version,
            roles,
            dueDate: command.dueDate,
            requiredAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'AcceptPolicy': {
      const v = inForce(policy, command.version);
      const self = actorAsPerson(command.actor, 'accepts a policy');
      const person = command.directoryRecord ?? self;
      if (command.contentSha256 !== v.contentSha256)
        throw new DomainError(
          'policy-version-hash-mismatch',
          `the text accepted is not the text of version ${v.version}; read it again and accept that`,
          { version: v.version, contentSha256: v.contentSha256, given: command.contentSha256 },
        );
      notBefore(
        command.at,
        v.publication.publishedAt,
        'accepted-before-published',
        'a version is accepted after its publication',
      );
      const ofVersion = policy.acceptances[v.version] ?? {};
      const previous = Object.hasOwn(ofVersion, person.personId) ? ofVersion[person.personId] : undefined;
      if (previous) {
        // Set with `previous` by the same event, so an own property too.
        const lastAccepted = dateOf(policy.lastAcceptedAt[person.personId]);
        const renewableFrom = addCalendarMonths(lastAccepted, command.reacceptanceMonths);
        if (dateOf(command.at) < renewableFrom)
          throw new DomainError(
            'already-accepted',
            `this person already accepted this version; they accept it again from ${renewableFrom}`,
            { version: v.version, personId: person.personId, acceptanceId: previous, renewableFrom },
          );
      }
      return [
        {
          type: 'PolicyAccepted',
          data: {
            policyId: policy.policyId,
            version: v.version,
            acceptanceId: command.acceptanceId,
            person,
            method: command.method,
            contentSha256: v.contentSha256,
            acceptedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'ReviewPolicy': {
      if (!policy.publishedVersion)
        throw new DomainError('no-published-version', 'the policy has no published version to review yet');
      const v = inForce(policy, command.version ?? policy.publishedVersion);
      const reviewer = actorAsPerson(command.actor, 'reviews a policy');
      notBefore(
        command.at,
        v.publication.publishedAt,
        'reviewed-before-published',
        'a version is reviewed after its publication',
      );
      return [
        {
          type: 'PolicyReviewed',
          data: {
            policyId: policy.policyId,
            version: v.version,
            contentSha256: v.contentSha256,
            reviewer,
            outcome: command.outcome,
            ...(command.notes ? { notes: command.notes } : {}),
            reviewedAt: command.at,
            nextReviewDue: nextReviewDue(command.at, policy.reviewFrequency),
            actor: command.actor,
          },
        },
      ];
    }
    case 'SetPolicyAudience': {
      const audience = normalizeAudience(command.audience);
      if (sameAudience(audience, policy.audience)) return [];
      return [
        {
          type: 'PolicyAudienceSet',
          data: { policyId: policy.policyId, audience, setAt: command.at, actor: command.actor },
        },
      ];
    }
  }
}
