import { DomainError, type Decider } from '@attest/decider';
import {
  EVIDENCE_BUNDLE_STREAM_TYPE,
  type Actor,
  type BundleCheckpoint,
  type BundledItem,
  type EvidenceBundleEvent,
  type EvidenceBundleSelection,
} from './evidence-events';

export type EvidenceBundleState = { kind: 'none' } | { kind: 'issued'; bundleId: string };

/** Record a bundle the service has built, signed and stored (its envelope's hash ties the event to the file). */
export interface IssueEvidenceBundle {
  type: 'IssueEvidenceBundle';
  bundleId: string;
  selection: EvidenceBundleSelection;
  items: BundledItem[];
  envelopeSha256: string;
  keyId: string;
  checkpoint: BundleCheckpoint;
  at: string;
  actor: Actor;
}

/** The refusal for a bundle the tenant does not have (404). */
export function evidenceBundleNotFound(bundleId: string): DomainError {
  return new DomainError('evidence-bundle-not-found', `evidence bundle ${bundleId} does not exist`, {
    bundleId,
  });
}

/** Only the selection's parts that select something, each without repeats: what the contract records. */
function recordedSelection(selection: EvidenceBundleSelection): EvidenceBundleSelection {
  return Object.fromEntries(
    (['itemIds', 'controlIds', 'criteria', 'tags'] as const)
      .filter((part) => selection[part]?.length)
      .map((part) => [part, [...new Set(selection[part])]]),
  );
}

/**
 * A bundle (stream `evidence-bundle`, id = bundleId): issued once. A selection that matches no evidence is refused
 * (`empty-bundle`): a signed manifest of nothing would read to an auditor like proof that nothing exists.
 */
export const evidenceBundleDecider: Decider<IssueEvidenceBundle, EvidenceBundleEvent, EvidenceBundleState> = {
  initialState: () => ({ kind: 'none' }),
  evolve: (_state, event) => ({ kind: 'issued', bundleId: event.data.bundleId }),
  decide(command, state) {
    const { bundleId } = command;
    if (state.kind !== 'none')
      throw new DomainError('evidence-bundle-exists', `evidence bundle ${bundleId} already exists`, {
        bundleId,
      });
    if (!command.items.length)
      throw new DomainError('empty-bundle', 'the selection matches no evidence', {
        selection: command.selection,
      });
    return [
      {
        type: 'EvidenceBundleIssued',
        data: {
          bundleId,
          selection: recordedSelection(command.selection),
          items: command.items.map(({ itemId, version, sha256 }) => ({ itemId, version, sha256 })),
          envelopeSha256: command.envelopeSha256,
          keyId: command.keyId,
          checkpoint: {
            tenantSequence: command.checkpoint.tenantSequence,
            globalPosition: command.checkpoint.globalPosition,
            headHash: command.checkpoint.headHash,
          },
          issuedAt: command.at,
          actor: command.actor,
        },
      },
    ];
  },
};

/** The bundle aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const evidenceBundleAggregate = {
  streamType: EVIDENCE_BUNDLE_STREAM_TYPE,
  decider: evidenceBundleDecider,
  streamIdOf: (command: IssueEvidenceBundle) => command.bundleId,
  notFound: evidenceBundleNotFound,
};
