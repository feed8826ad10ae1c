import { contractForStoreType, type EventContext } from './event-catalog';
import { valueAtPointer, withValueAtPointer } from './json-pointer';

/**
 * Personal data in event payloads (names, e-mail addresses) is sealed before the event is stored, hashed and
 * published: the value is replaced by a token `pd1.<keyId>.<base64url(iv | ciphertext | tag)>`, encrypted with a
 * key of the person it is about (AES-256-GCM). "Forget this person" deletes that key: the events, their hashes and
 * what Kafka keeps stay as they are, and the tokens can no longer be opened (crypto-shredding).
 */
export interface PersonalField {
  /** JSON pointer (RFC 6901) of the personal value in the payload, e.g. `/owner/email`. */
  pointer: string;
  /** JSON pointer of the id of the person the value is about, e.g. `/owner/personId`: whose key seals it. */
  subject: string;
}

/** `pd1.<keyId: 22 base64url chars = 16 bytes>.<base64url(12-byte iv | ciphertext | 16-byte tag)>`. */
export const SEALED_TOKEN_PATTERN = /^pd1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{40,})$/;

/** The schema of a sealed field as the published event carries it (every personal field's schema, plus a description). */
export const SEALED_FIELD_SCHEMA = {
  type: 'string',
  pattern: '^pd1\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{40,}$',
  maxLength: 4096,
} as const;

/** What a read shows for a sealed value whose person was forgotten. */
export const ERASED_VALUE = '[erased]';

/** The actor's name: every payload has one; its subject is the actor id (a user id, a client id, `system:<job>`). */
const ACTOR: readonly PersonalField[] = [{ pointer: '/actor/displayName', subject: '/actor/id' }];

/** A person reference (`personId`, `displayName`, `email`) at `/<property>`. */
function personAt(property: string): PersonalField[] {
  const subject = `/${property}/personId`;
  return [
    { pointer: `/${property}/displayName`, subject },
    { pointer: `/${property}/email`, subject },
  ];
}

/** A people-directory record's identifying details under `<at>`, about the person of the payload's `personId`. */
function personDetailsAt(at: string): PersonalField[] {
  return ['employeeNumber', 'displayName', 'email'].map((field) => ({
    pointer: `${at}/${field}`,
    subject: '/personId',
  }));
}

/** An audit firm's auditor (`auditorId`, `name`, `email`) at `/<property>`, sealed for the auditor's pseudonym. */
function auditorAt(property: string): PersonalField[] {
  const subject = `/${property}/auditorId`;
  return [
    { pointer: `/${property}/name`, subject },
    { pointer: `/${property}/email`, subject },
  ];
}

/**
 * The personal fields of every public event type. A spec checks it against the schemas: exactly these fields have
 * the sealed shape, and no schema has a name or an e-mail address that is not sealed.
 */
const PERSONAL_FIELDS: Readonly<Record<string, readonly PersonalField[]>> = {
  'io.attest.readiness.assessment-started.v1': ACTOR,
  'io.attest.readiness.answer-recorded.v1': [...ACTOR, ...personAt('owner')],
  'io.attest.readiness.assessment-completed.v1': ACTOR,
  'io.attest.readiness.gap-identified.v1': ACTOR,
  'io.attest.readiness.remediation-task-created.v1': [...ACTOR, ...personAt('owner')],
  'io.attest.readiness.remediation-task-status-changed.v1': ACTOR,
  'io.attest.readiness.remediation-task-completed.v1': ACTOR,
  'io.attest.readiness.risk-registered.v1': [...ACTOR, ...personAt('owner')],
  'io.attest.readiness.risk-reassessed.v1': ACTOR,
  'io.attest.readiness.risk-assessment-completed.v1': [
    ...ACTOR,
    ...personAt('approvedBy'),
    // issue 10: risk treatment (the approver is the caller, named like the actor)
    { pointer: '/approver/displayName', subject: '/approver/id' },
  ],
  'io.attest.readiness.remediation-task-replanned.v1': [...ACTOR, ...personAt('owner')],
  'io.attest.readiness.chain-checkpoint-signed.v1': ACTOR,
  // issue 10: system description revisions
  'io.attest.readiness.system-description-revised.v1': ACTOR,
  'io.attest.control-mapping.control-adopted.v1': ACTOR,
  'io.attest.control-mapping.control-customized.v1': ACTOR,
  'io.attest.control-mapping.custom-control-added.v1': ACTOR,
  'io.attest.control-mapping.control-owner-assigned.v1': [
    ...ACTOR,
    ...personAt('owner'),
    ...personAt('previousOwner'),
  ],
  'io.attest.control-mapping.control-implementation-changed.v1': ACTOR,
  'io.attest.control-mapping.control-marked-not-applicable.v1': [...ACTOR, ...personAt('approvedBy')],
  'io.attest.control-mapping.control-catalog-upgraded.v1': ACTOR,
  'io.attest.control-mapping.policy-adopted.v1': [...ACTOR, ...personAt('owner')],
  'io.attest.control-mapping.policy-version-drafted.v1': ACTOR,
  'io.attest.control-mapping.policy-approved.v1': [...ACTOR, ...personAt('approver')],
  'io.attest.control-mapping.policy-published.v1': ACTOR,
  'io.attest.control-mapping.policy-acceptance-required.v1': ACTOR,
  'io.attest.control-mapping.policy-accepted.v1': [...ACTOR, ...personAt('person')],
  'io.attest.control-mapping.gap-proposal-recorded.v1': ACTOR,
  'io.attest.control-mapping.gap-remediation-recorded.v1': ACTOR,
  'io.attest.control-mapping.chain-checkpoint-signed.v1': ACTOR,
  'io.attest.control-mapping.control-set-created.v1': ACTOR,
  'io.attest.control-mapping.controls-joined-set.v1': ACTOR,
  'io.attest.control-mapping.control-owner-role-changed.v1': ACTOR,
  'io.attest.control-mapping.control-template-upgraded.v1': ACTOR,
  'io.attest.control-mapping.policy-version-text-recorded.v1': ACTOR,
  // issue 10: control mapping coverage
  'io.attest.control-mapping.control-not-applicable-revoked.v1': ACTOR,
  'io.attest.control-mapping.point-of-focus-marked-not-applicable.v1': ACTOR,
  'io.attest.control-mapping.point-of-focus-not-applicable-revoked.v1': ACTOR,
  // issue 10: policy rules
  'io.attest.control-mapping.policy-audience-set.v1': ACTOR,
  'io.attest.control-mapping.policy-reviewed.v1': [...ACTOR, ...personAt('reviewer')],
  // issue 10: people (the person's own key seals their details: forgetting them erases the directory's record)
  'io.attest.control-mapping.person-joined.v1': [...ACTOR, ...personDetailsAt('')],
  'io.attest.control-mapping.person-details-changed.v1': [...ACTOR, ...personDetailsAt('/changes')],
  'io.attest.control-mapping.person-left.v1': ACTOR,
  // issue 10: deadlines (ids only; the actor is the sweep, whose name is declared like every actor's)
  'io.attest.readiness.remediation-task-due-soon.v1': ACTOR,
  'io.attest.readiness.remediation-task-overdue.v1': ACTOR,
  'io.attest.readiness.risk-review-due-soon.v1': ACTOR,
  'io.attest.readiness.risk-review-overdue.v1': ACTOR,
  'io.attest.readiness.risk-assessment-due-soon.v1': ACTOR,
  'io.attest.readiness.risk-assessment-overdue.v1': ACTOR,
  'io.attest.control-mapping.policy-review-due-soon.v1': ACTOR,
  'io.attest.control-mapping.policy-review-overdue.v1': ACTOR,
  'io.attest.control-mapping.policy-acceptance-due-soon.v1': ACTOR,
  'io.attest.control-mapping.policy-acceptance-overdue.v1': ACTOR,
  // issue 10: risk treatment (approver and reviewer are the caller, named like the actor)
  'io.attest.readiness.risk-matrix-configured.v1': ACTOR,
  'io.attest.readiness.risk-treatment-changed.v1': ACTOR,
  'io.attest.readiness.risk-accepted.v1': [
    ...ACTOR,
    { pointer: '/approver/displayName', subject: '/approver/id' },
  ],
  'io.attest.readiness.risk-acceptance-expired.v1': ACTOR,
  'io.attest.readiness.risk-reviewed.v1': [
    ...ACTOR,
    { pointer: '/reviewer/displayName', subject: '/reviewer/id' },
  ],
  'io.attest.readiness.risk-closed.v1': ACTOR,
  // issue 11: evidence. Only the actor is personal: items name controls and criteria by id, collector configs are
  // redacted of secrets, and collectors' facts name resources by technical ids (a role name, a path, a commit), never
  // a person's name or e-mail address (libs/collectors documents each fact model).
  'io.attest.evidence.evidence-submitted.v1': ACTOR,
  'io.attest.evidence.evidence-versioned.v1': ACTOR,
  'io.attest.evidence.evidence-linked-to-control.v1': ACTOR,
  'io.attest.evidence.evidence-retention-decided.v1': ACTOR,
  'io.attest.evidence.evidence-expiring.v1': ACTOR,
  'io.attest.evidence.evidence-expired.v1': ACTOR,
  'io.attest.evidence.collector-run-started.v1': ACTOR,
  'io.attest.evidence.collector-run-succeeded.v1': ACTOR,
  'io.attest.evidence.collector-run-failed.v1': ACTOR,
  'io.attest.evidence.chain-checkpoint-signed.v1': ACTOR,
  'io.attest.evidence.evidence-bundle-issued.v1': ACTOR, // issue 12: monitoring. Only the actor is personal: tests, results and alerts name resources by the collectors'
  // technical ids (as evidence's facts do) and people only as actors; reasons and notes are free text about a
  // resource or a risk, left in the clear like every context's reasons and summaries.
  'io.attest.monitoring.monitoring-test-defined.v1': ACTOR,
  'io.attest.monitoring.monitoring-test-changed.v1': ACTOR,
  'io.attest.monitoring.test-results-recorded.v1': ACTOR,
  'io.attest.monitoring.test-failing.v1': ACTOR,
  'io.attest.monitoring.test-recovered.v1': ACTOR,
  'io.attest.monitoring.control-health-changed.v1': ACTOR,
  'io.attest.monitoring.alert-raised.v1': ACTOR,
  'io.attest.monitoring.alert-acknowledged.v1': ACTOR,
  'io.attest.monitoring.alert-snoozed.v1': ACTOR,
  'io.attest.monitoring.alert-resolved.v1': ACTOR,
  'io.attest.monitoring.exception-accepted.v1': ACTOR,
  'io.attest.monitoring.exception-expired.v1': ACTOR,
  'io.attest.monitoring.webhook-endpoint-registered.v1': ACTOR,
  'io.attest.monitoring.webhook-endpoint-removed.v1': ACTOR,
  'io.attest.monitoring.chain-checkpoint-signed.v1': ACTOR,
  // issue 13: auditor engagement. An auditor's name and e-mail are sealed under the key of the firm's pseudonymous
  // `auditorId` (an auditor has no personId: they are not in the organization's people directory). Populations name
  // joiners by personId only (occurrence ids and labels); a firm's name is an organization's. Request descriptions,
  // comments, test descriptions, exceptions and management responses are free text about controls and evidence,
  // left in the clear like every context's reasons and notes.
  'io.attest.auditor-engagement.audit-firm-registered.v1': ACTOR,
  'io.attest.auditor-engagement.firm-auditor-added.v1': [...ACTOR, ...auditorAt('auditor')],
  'io.attest.auditor-engagement.sample-size-table-set.v1': ACTOR,
  'io.attest.auditor-engagement.engagement-planned.v1': ACTOR,
  'io.attest.auditor-engagement.engagement-scope-changed.v1': ACTOR,
  'io.attest.auditor-engagement.auditor-invited.v1': [...ACTOR, ...auditorAt('auditor')],
  'io.attest.auditor-engagement.auditor-removed.v1': [...ACTOR, { pointer: '/email', subject: '/auditorId' }],
  // Only the actor's name: its id (`user:<subject>`, the IdP's pseudonym) is what consumers key grants on.
  'io.attest.auditor-engagement.auditor-invitation-accepted.v1': ACTOR,
  'io.attest.auditor-engagement.engagement-status-changed.v1': ACTOR,
  'io.attest.auditor-engagement.report-issued.v1': ACTOR,
  'io.attest.auditor-engagement.bridge-letter-issued.v1': ACTOR,
  'io.attest.auditor-engagement.request-created.v1': ACTOR,
  'io.attest.auditor-engagement.request-submitted.v1': ACTOR,
  'io.attest.auditor-engagement.request-accepted.v1': ACTOR,
  'io.attest.auditor-engagement.request-returned.v1': ACTOR,
  'io.attest.auditor-engagement.request-overdue.v1': ACTOR,
  'io.attest.auditor-engagement.request-commented.v1': ACTOR,
  'io.attest.auditor-engagement.population-frozen.v1': ACTOR,
  'io.attest.auditor-engagement.sample-selected.v1': ACTOR,
  'io.attest.auditor-engagement.test-result-recorded.v1': ACTOR,
  'io.attest.auditor-engagement.exception-raised.v1': ACTOR,
  'io.attest.auditor-engagement.management-response-recorded.v1': ACTOR,
  'io.attest.auditor-engagement.chain-checkpoint-signed.v1': ACTOR,
  // issue 14: audit lifecycle. Only the actor is personal (the person who took a decision; the lifecycle itself
  // otherwise): audits, engagements and controls are named by id, phases and reasons by fixed words and event types.
  'io.attest.lifecycle.audit-phase-changed.v1': ACTOR,
  'io.attest.lifecycle.audit-deadline-approaching.v1': ACTOR,
  'io.attest.lifecycle.audit-deadline-missed.v1': ACTOR,
  'io.attest.lifecycle.audit-decision-taken.v1': ACTOR,
  'io.attest.lifecycle.occurrence-missed.v1': ACTOR,
  'io.attest.lifecycle.chain-checkpoint-signed.v1': ACTOR,
};

/** The personal fields of a public event type; none for a type the catalog does not list. */
export function personalFieldsOf(ceType: string): readonly PersonalField[] {
  return PERSONAL_FIELDS[ceType] ?? [];
}

/**
 * A syntactically valid token that opens with no key: it stands in for a sealed value where there is no vault.
 * Its key id reads "validation-placeholder".
 */
export const PLACEHOLDER_TOKEN = `pd1.validation-placeholder.${'A'.repeat(43)}`;

/**
 * The shape a decided (plaintext) payload has once published, for checking it against its contract without a
 * vault: each declared personal field that holds a string gets {@link PLACEHOLDER_TOKEN}, as sealing would give it
 * a token; anything else (a missing field, a number) is left for the schema to refuse. Throws when a personal value
 * is already a token (a decided payload is plaintext) or, like sealing, has no subject id to be sealed for. Never
 * publish its result: the values are gone, not sealed.
 */
export function withPlaceholderTokens(ceType: string, data: unknown): unknown {
  let shaped = data;
  for (const field of personalFieldsOf(ceType)) {
    const value = valueAtPointer(shaped, field.pointer);
    if (typeof value !== 'string') continue;
    if (SEALED_TOKEN_PATTERN.test(value))
      throw new TypeError(`${ceType}: ${field.pointer} is already sealed; a decided payload is plaintext`);
    const subject = valueAtPointer(shaped, field.subject);
    if (typeof subject !== 'string' || !subject)
      throw new TypeError(`${ceType}: ${field.pointer} has no subject at ${field.subject}`);
    shaped = withValueAtPointer(shaped, field.pointer, PLACEHOLDER_TOKEN);
  }
  return shaped;
}

/** Every public event type with personal fields, for documentation. */
export function personalFieldsByCeType(): Readonly<Record<string, readonly PersonalField[]>> {
  return PERSONAL_FIELDS;
}

/**
 * The personal fields by store type for one context's event store: what the command pipeline seals before it
 * appends. A store type without a public contract has none (the store refuses to append such a type anyway).
 */
export function personalFieldsOfStoreType(
  context: EventContext,
): (storeType: string) => readonly PersonalField[] {
  return (storeType) => {
    const contract = contractForStoreType(context, storeType);
    return contract ? personalFieldsOf(contract.ceType) : [];
  };
}
