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
import {
  REVIEW_FREQUENCIES,
  type AcceptanceMethod,
  type PolicyEvent,
  type ReviewFrequency,
} from './policy-events';

/** A policy version's life: draft → approved → published → superseded (when a newer version is published). */
export type PolicyVersionStatus = 'draft' | 'approved' | 'published' | 'superseded';

export interface PolicyVersionState {
  version: string;
  status: PolicyVersionStatus;
  contentSha256: string;
  basedOnVersion?: string;
  changeSummary: string;
  draftedAt: string;
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
  /** Roles that must accept, per version, with their due date. */
  acceptanceRequirements: Record<string, Record<string, string>>;
  /** Acceptance ids per version and person. */
  acceptances: Record<string, Record<string, string>>;
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
  | (CommandBase & { type: 'ApprovePolicyVersion'; version: string; approver: Person; approvalNote?: string })
  | (CommandBase & {
      type: 'PublishPolicyVersion';
      version: string;
      effectiveDate: string;
      documentUrl?: string;
    })
  | (CommandBase & { type: 'RequirePolicyAcceptance'; version?: string; roles: string[]; dueDate: string })
  | (CommandBase & {
      type: 'AcceptPolicy';
      version: string;
      acceptanceId: string;
      person: Person;
      method: AcceptanceMethod;
    });

/** Where policy templates come from (the catalog's, by default), and the catalog version they belong to. */
export interface PolicyTemplateSource {
  catalogVersion: string;
  templateById(id: string): PolicyTemplate | undefined;
}

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

/**
 * The decider of a policy (stream type `policy`, stream id = policyId): adopted from a catalog template (its
 * first draft is the template text), drafted in new versions, approved, published with an effective date,
 * acceptance required from roles, accepted by people. Only a published version in force can be accepted.
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
      acceptanceRequirements: {},
      acceptances: {},
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
      return { ...state, versions, publishedVersion: d.version };
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
      return [
        {
          type: 'PolicyApproved',
          data: {
            policyId: policy.policyId,
            version: v.version,
            approver: command.approver,
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
      if (v.status !== 'approved')
        throw new DomainError(
          'policy-version-already-published',
          `version ${v.version} was already published`,
          {
            version: v.version,
            status: v.status,
          },
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
      const v = versionOf(policy, command.version);
      if (v.status === 'superseded')
        throw new DomainError(
          'policy-version-superseded',
          `version ${v.version} was replaced by ${policy.publishedVersion}; accept the version in force`,
          { version: v.version, publishedVersion: policy.publishedVersion },
        );
      if (v.status !== 'published')
        throw new DomainError(
          'policy-version-not-published',
          `version ${v.version} is ${v.status}, not published`,
          {
            version: v.version,
            status: v.status,
          },
        );
      const ofVersion = policy.acceptances[v.version] ?? {};
      const previous = Object.hasOwn(ofVersion, command.person.personId)
        ? ofVersion[command.person.personId]
        : undefined;
      if (previous)
        throw new DomainError('already-accepted', 'this person already accepted this version', {
          version: v.version,
          personId: command.person.personId,
          acceptanceId: previous,
        });
      return [
        {
          type: 'PolicyAccepted',
          data: {
            policyId: policy.policyId,
            version: v.version,
            acceptanceId: command.acceptanceId,
            person: command.person,
            method: command.method,
            contentSha256: v.contentSha256,
            acceptedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
  }
}
