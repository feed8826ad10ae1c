import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  bundleArchiveEntries,
  bundleFilePath,
  chainRecordsFile,
  sha256Hex,
  signBundleManifest,
  type BundleContents,
  type BundleItem,
  type ChainRecord,
  type SignedManifest,
} from '@attest/evidence-bundle';
import {
  chainedFormOf,
  chainHash,
  ChainSigningKeys,
  GENESIS_HASH,
  type ChainCheckpoint,
  type RecordedEvent,
} from '@attest/event-store';
import { encodeCloudEvent } from '@attest/messaging';

/** A keyring of fresh Ed25519 keys; `active` signs. The same keys with another active one model a rotation. */
export function testKeyrings(kids: string[]): { keyring: (active: string) => ChainSigningKeys } {
  const pems = Object.fromEntries(
    kids.map((kid) => [
      kid,
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ]),
  );
  return { keyring: (active) => ChainSigningKeys.fromKeyring({ active, keys: pems }) };
}

/** Events hashed into a tenant chain exactly as the store hashes them (hash-chain.ts). */
export class TestChain {
  readonly events: RecordedEvent[] = [];
  constructor(readonly tenantId = 'tenant-a') {}

  append(ceType: string, streamId: string, data: unknown): RecordedEvent {
    const sequence = this.events.length + 1;
    const unhashed: RecordedEvent = {
      eventId: randomUUID(),
      tenantId: this.tenantId,
      streamId,
      streamType: 'evidence-item',
      streamVersion: this.events.filter((e) => e.streamId === streamId).length + 1,
      tenantSequence: sequence,
      type: ceType,
      ceType,
      source: '/attest/evidence',
      schemaVersion: 1,
      topic: 'attest.evidence.events.v1',
      data,
      metadata: { correlationId: randomUUID() },
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
      position: { transactionId: String(1000 + sequence), globalPosition: 100 + sequence },
      prevHash: this.events.at(-1)?.hash ?? GENESIS_HASH,
      hash: '',
    };
    const event = { ...unhashed, hash: chainHash(unhashed.prevHash, chainedFormOf(unhashed)) };
    this.events.push(event);
    return event;
  }

  checkpoint(keys: ChainSigningKeys, signedAt: string): ChainCheckpoint {
    const head = this.events.at(-1)!;
    return keys.sign({
      tenantId: this.tenantId,
      tenantSequence: head.tenantSequence,
      headHash: head.hash,
      globalPosition: head.position.globalPosition,
      signedAt,
    });
  }

  records(from: number, to: number): ChainRecord[] {
    return this.events
      .filter((e) => e.tenantSequence >= from && e.tenantSequence <= to)
      .map((e) => ({ headers: encodeCloudEvent(e).message.headers, data: e.data }));
  }
}

export interface TestFile {
  itemId: string;
  version: number;
  fileName: string;
  content: Buffer;
}

export function submit(chain: TestChain, file: TestFile): { file: TestFile; event: RecordedEvent } {
  const event = chain.append(
    file.version === 1
      ? 'io.attest.evidence.evidence-submitted.v1'
      : 'io.attest.evidence.evidence-versioned.v1',
    file.itemId,
    {
      itemId: file.itemId,
      version: file.version,
      content: {
        sha256: sha256Hex(file.content),
        sizeBytes: file.content.length,
        mediaType: 'text/plain',
        fileName: file.fileName,
      },
    },
  );
  return { file, event };
}

export interface TestBundle {
  manifest: SignedManifest;
  chainFile: Buffer;
  /** The archive's entries as bytes, so a test can change any of them. */
  entries: Map<string, Buffer>;
}

/** A bundle of the submitted files, with the chain from the first one's event through the checkpoint. */
export function testBundle(
  submitted: { file: TestFile; event: RecordedEvent }[],
  chain: TestChain,
  checkpoint: ChainCheckpoint,
  keys: ChainSigningKeys,
): TestBundle {
  const items: BundleItem[] = submitted.map(({ file, event }) => ({
    itemId: file.itemId,
    version: file.version,
    title: `Evidence ${file.itemId}`,
    evidenceType: 'policy',
    fileName: file.fileName,
    mediaType: 'text/plain',
    sizeBytes: file.content.length,
    sha256: sha256Hex(file.content),
    period: { from: '2026-01-01', to: '2026-03-31' },
    controlIds: ['control-1'],
    criteria: ['CC6.1'],
    chain: {
      eventId: event.eventId,
      tenantSequence: event.tenantSequence,
      globalPosition: event.position.globalPosition,
      hash: event.hash,
    },
  }));
  const from = Math.min(...items.map((i) => i.chain.tenantSequence));
  const chainFile = chainRecordsFile(chain.records(from, checkpoint.tenantSequence));
  const manifest = signBundleManifest(
    {
      bundleId: randomUUID(),
      tenantId: chain.tenantId,
      issuedAt: '2026-04-01T00:00:00.000Z',
      issuedBy: { type: 'user', id: 'auditor-1' },
      items,
      checkpoint,
    },
    chainFile,
    (pae) => keys.signDssePae(pae),
  );
  const entries = new Map<string, Buffer>([
    ['manifest.dsse.json', manifest.bytes],
    ['chain/events.jsonl', chainFile],
    ...submitted.map(({ file }) => [bundleFilePath(file), file.content] as [string, Buffer]),
  ]);
  return { manifest, chainFile, entries };
}

/** The archive's entries for `packBundleArchive`, each file streamed as the service streams it. */
export function archiveEntriesOf(bundle: TestBundle) {
  return bundleArchiveEntries(bundle.manifest, bundle.chainFile, async (item) =>
    Readable.from([bundle.entries.get(bundleFilePath(item))!]),
  );
}

/** What a reader of the archive would see, computed from the entries directly. */
export function contentsOf(entries: Map<string, Buffer>): BundleContents {
  return {
    manifest: entries.get('manifest.dsse.json') ?? null,
    chain: entries.get('chain/events.jsonl') ?? null,
    files: new Map(
      [...entries].map(([name, bytes]) => [name, { sha256: sha256Hex(bytes), sizeBytes: bytes.length }]),
    ),
    problems: [],
  };
}
