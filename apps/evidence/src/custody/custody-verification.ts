import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { evidenceItemNotFound } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import {
  chainedFormOf,
  chainHash,
  ChainCheckpointer,
  verifyAgainstCheckpoint,
  type ChainSigningKeys,
  type ChainVerdict,
} from '@attest/event-store';
import { CHAIN_SIGNING_KEYS } from '@attest/service-kit';
import { CONTENT_STORE, EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { EvidenceEventStore } from '../event-flow/evidence-event-store';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import type { EvidenceVersionView } from '../read-model/evidence-views';

/** The first event that does not verify, as the API names it. */
export interface ChainFailure {
  reason: Extract<ChainVerdict, { ok: false }>['reason'];
  tenantSequence: number;
  eventId?: string;
  globalPosition?: number;
  expected: string;
  actual: string;
}

export interface ChainVerificationView {
  ok: boolean;
  /** Events verified (from the tenant's first), when the chain verifies. */
  events?: number;
  headHash?: string;
  failure?: ChainFailure;
  /** The newest signed checkpoint, and whether the chain still holds its head (a truncation shows here). */
  checkpoint?: { tenantSequence: number; signedAt: string; keyId: string; ok: boolean };
}

export interface VersionCheck {
  ok: boolean;
  /** What does not match; absent when ok. */
  problem?: string;
}

export interface ItemVerificationView {
  itemId: string;
  ok: boolean;
  versions: {
    version: number;
    sha256: string;
    /** The stored bytes hash to the recorded SHA-256 (not checked after disposal: the bytes are gone). */
    content: VersionCheck & { disposed: boolean };
    /** The version's event still recomputes to its hash and records this SHA-256. */
    chain: VersionCheck & { tenantSequence: number };
  }[];
}

function failureOf(verdict: Extract<ChainVerdict, { ok: false }>): ChainFailure {
  const { reason, tenantSequence, eventId, globalPosition, expected, actual } = verdict;
  return {
    reason,
    tenantSequence,
    ...(eventId === undefined ? {} : { eventId }),
    ...(globalPosition === undefined ? {} : { globalPosition }),
    expected,
    actual,
  };
}

/**
 * The service's own checks of custody: the tenant's whole chain (every hash, link and sequence up to the recorded
 * head, then against the newest signed checkpoint, which catches a chain cut back with its head moved), and one
 * item's stored bytes and chain events. An auditor checks a bundle offline with `attest-verify` instead.
 */
@Injectable()
export class CustodyVerification {
  private readonly checkpointer: ChainCheckpointer | null;

  constructor(
    private readonly events: EvidenceEventStore,
    private readonly readModel: EvidenceReadModel,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(CHAIN_SIGNING_KEYS) private readonly keys: ChainSigningKeys | null,
    @Inject(EVIDENCE_OPTIONS) options: ResolvedOptions,
  ) {
    this.checkpointer = keys ? new ChainCheckpointer(options.pool, events.store, keys) : null;
  }

  async chain(tenantId: string): Promise<ChainVerificationView> {
    const verdict = await this.events.store.verifyChain(tenantId);
    if (!verdict.ok) return { ok: false, failure: failureOf(verdict) };
    const view: ChainVerificationView = { ok: true, events: verdict.events, headHash: verdict.headHash };
    const latest = (await this.checkpointer?.checkpoints(tenantId))?.at(-1);
    if (!latest || !this.keys) return view;
    const against = verifyAgainstCheckpoint(
      await this.events.store.readTenantChain(tenantId, 1, latest.tenantSequence),
      latest,
      this.keys.publicKeys(),
    );
    view.checkpoint = {
      tenantSequence: latest.tenantSequence,
      signedAt: latest.signedAt,
      keyId: latest.keyId,
      ok: against.ok,
    };
    if (!against.ok) return { ...view, ok: false, failure: failureOf(against) };
    return view;
  }

  async item(tenantId: string, itemId: string): Promise<ItemVerificationView> {
    if (!(await this.readModel.item(tenantId, itemId))) throw evidenceItemNotFound(itemId);
    const versions = [];
    for (const v of await this.readModel.versions(tenantId, itemId)) {
      versions.push({
        version: v.version,
        sha256: v.content.sha256,
        content: { ...(await this.contentCheck(v)), disposed: v.disposed },
        chain: { ...(await this.chainCheck(tenantId, v)), tenantSequence: v.chain.tenantSequence },
      });
    }
    return { itemId, ok: versions.every((v) => v.content.ok && v.chain.ok), versions };
  }

  private async contentCheck(v: EvidenceVersionView): Promise<VersionCheck> {
    if (v.disposed) return { ok: true };
    if (!(await this.store.stat(v.content.sha256)))
      return { ok: false, problem: `the content of version ${v.version} is missing from the store` };
    const hash = createHash('sha256');
    for await (const chunk of await this.store.get(v.content.sha256)) hash.update(chunk as Buffer);
    const actual = hash.digest('hex');
    return actual === v.content.sha256
      ? { ok: true }
      : {
          ok: false,
          problem: `the stored content of version ${v.version} hashes to ${actual}, recorded ${v.content.sha256}`,
        };
  }

  private async chainCheck(tenantId: string, v: EvidenceVersionView): Promise<VersionCheck> {
    const at = `the event at sequence ${v.chain.tenantSequence}`;
    const [event] = await this.events.store.readTenantChain(
      tenantId,
      v.chain.tenantSequence,
      v.chain.tenantSequence,
    );
    if (!event || event.eventId !== v.chain.eventId)
      return { ok: false, problem: `${at} is not event ${v.chain.eventId}` };
    if (chainHash(event.prevHash, chainedFormOf(event)) !== event.hash || event.hash !== v.chain.hash)
      return { ok: false, problem: `${at} no longer recomputes to its hash ${v.chain.hash}` };
    const data = event.data as { content?: { sha256?: string } };
    if (data.content?.sha256 !== v.content.sha256)
      return { ok: false, problem: `${at} records content ${data.content?.sha256}, not ${v.content.sha256}` };
    return { ok: true };
  }
}
