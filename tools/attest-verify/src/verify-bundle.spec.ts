import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { extract } from 'tar-stream';
import { createGunzip } from 'node:zlib';
import {
  chainRecordsFile,
  packBundleArchive,
  readBundleArchive,
  signBundleManifest,
  type BundleReport,
  type ChainRecord,
} from '@attest/evidence-bundle';
import { publicKeysFromJwks, type ChainCheckpoint, type ChainSigningKeys } from '@attest/event-store';
import {
  archiveEntriesOf,
  contentsOf,
  submit,
  TestChain,
  testBundle,
  testKeyrings,
  type TestBundle,
} from './testing/bundle-fixture';
import { verifyBundle } from './verify-bundle';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const DSSE_PYTHON = join(REPO_ROOT, '.local', 'dsse-verifier', 'bin', 'python');

const failures = (report: BundleReport) =>
  report.checks.filter((c) => !c.ok).flatMap((c) => c.details.map((d) => `${c.check}: ${d}`));

const { keyring } = testKeyrings(['key-2025', 'key-2026']);
const oldKey = keyring('key-2025');
const newKey = keyring('key-2026');

/**
 * Item A (v1 then v2) and item B, a link event, a checkpoint over all of them: the bundle has A v2 and B v1, so its
 * chain slice starts at B's event (sequence 2) and ends at the checkpoint (sequence 4).
 */
function scenario(keys: ChainSigningKeys = newKey) {
  const chain = new TestChain();
  submit(chain, {
    itemId: 'item-a',
    version: 1,
    fileName: 'policy.txt',
    content: Buffer.from('access policy v1\n'),
  });
  const b = submit(chain, {
    itemId: 'item-b',
    version: 1,
    fileName: 'users.csv',
    content: Buffer.from('user,role\nalice,admin\n'),
  });
  const a2 = submit(chain, {
    itemId: 'item-a',
    version: 2,
    fileName: 'policy.txt',
    content: Buffer.from('access policy v2\n'),
  });
  chain.append('io.attest.evidence.evidence-linked-to-control.v1', 'item-b', {
    itemId: 'item-b',
    controlId: 'c-2',
  });
  const checkpoint = chain.checkpoint(keys, '2026-03-31T12:00:00.000Z');
  return { chain, checkpoint, bundle: testBundle([a2, b], chain, checkpoint, keys) };
}

const keys = publicKeysFromJwks(newKey.jwks());

describe('attest-verify', () => {
  it('verifies a bundle that went through the tar.gz archive, with every file byte for byte', async () => {
    const { bundle } = scenario();
    const archive = await streamToBuffer(packBundleArchive(archiveEntriesOf(bundle)));
    const report = verifyBundle(await readBundleArchive(Readable.from([archive])), { publicKeys: keys });
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.check)).toEqual(['signature', 'files', 'items', 'chain']);
    expect(await entriesOf(archive)).toEqual(
      new Map([...bundle.entries].map(([name, bytes]) => [name, bytes.toString('utf8')])),
    );
  });

  it.each(['files/item-a/v2/policy.txt', 'files/item-b/v1/users.csv', 'chain/events.jsonl'])(
    'names %s when any one of its bytes changed',
    (name) => {
      const { bundle } = scenario();
      const original = bundle.entries.get(name)!;
      for (const at of [0, Math.floor(original.length / 2), original.length - 1]) {
        const report = verifyBundle(contentsOf(changed(bundle, name, at)), { publicKeys: keys });
        expect(report.ok).toBe(false);
        expect(failures(report)).toContainEqual(
          expect.stringMatching(new RegExp(`^files: ${name}: SHA-256`)),
        );
      }
    },
  );

  it('fails after any single byte of the manifest changes, naming the manifest', () => {
    const { bundle } = scenario();
    const manifest = bundle.entries.get('manifest.dsse.json')!;
    for (let at = 0; at < manifest.length; at++) {
      const report = verifyBundle(contentsOf(changed(bundle, 'manifest.dsse.json', at)), {
        publicKeys: keys,
      });
      if (report.ok) throw new Error(`a change of manifest byte ${at} still verified`);
      expect(failures(report)[0]).toMatch(/^signature: manifest\.dsse\.json: /);
    }
  });

  it('names a file missing from the bundle and one the manifest does not list', () => {
    const { bundle } = scenario();
    const entries = new Map(bundle.entries);
    entries.delete('files/item-b/v1/users.csv');
    entries.set('files/extra.txt', Buffer.from('slipped in'));
    expect(failures(verifyBundle(contentsOf(entries), { publicKeys: keys }))).toEqual([
      'files: files/item-b/v1/users.csv: missing',
      'files: files/extra.txt: not in the manifest',
    ]);
  });

  it('names the sequence of an event altered before the bundle was signed (the chain does not recompute)', () => {
    const { chain, checkpoint } = scenario();
    // The store's row for item-a v2 (sequence 3) was edited in SQL after it was hashed; the service then signs
    // a bundle of what it reads: the signature is good, the chain is not.
    (chain.events[2].data as { content: { sha256: string } }).content.sha256 = 'f'.repeat(64);
    const a2 = { file: fileOf('item-a', 2, 'access policy v2\n'), event: chain.events[2] };
    const bundle = testBundle([a2], chain, checkpoint, newKey);
    const report = verifyBundle(contentsOf(bundle.entries), { publicKeys: keys });
    expect(failures(report)).toEqual([
      `items: item item-a v2: the event at sequence 3 records content ${'f'.repeat(64)}, not ${sha('access policy v2\n')}`,
      expect.stringMatching(/^chain: sequence 3 \(event [0-9a-f-]+\): the hash does not recompute/),
    ]);
  });

  it('names the first position of a removed or reordered event in the slice', () => {
    const { chain, checkpoint } = scenario();
    const records = chain.records(2, 4);
    const reordered = [records[0], records[2], records[1]].map((r, i) => ({
      ...r,
      headers: { ...r.headers, ce_tenantsequence: String(2 + i) },
    }));
    for (const [slice, expected] of [
      [[records[0], records[2]], /^chain: sequence 4 .*a sequence is missing/],
      [reordered, /^chain: sequence 3 .*(does not link|does not recompute)/],
    ] as [ChainRecord[], RegExp][]) {
      const bundle = resliced(chain, checkpoint, slice);
      const report = verifyBundle(contentsOf(bundle.entries), { publicKeys: keys });
      expect(failures(report)).toContainEqual(expect.stringMatching(expected));
    }
  });

  it('verifies a bundle signed by a retired key with the published JWKS of the rotated keyring', () => {
    const { bundle } = scenario(oldKey);
    const rotated = publicKeysFromJwks(newKey.jwks());
    expect(newKey.activeKeyId).toBe('key-2026');
    const report = verifyBundle(contentsOf(bundle.entries), { publicKeys: rotated });
    expect(report.ok).toBe(true);
    expect(report.checks[0].details).toEqual(['manifest.dsse.json: signed by key key-2025 (Ed25519, DSSE)']);
    const withoutRetired = publicKeysFromJwks({
      keys: newKey.jwks().keys.filter((k) => k.kid !== 'key-2025'),
    });
    expect(failures(verifyBundle(contentsOf(bundle.entries), { publicKeys: withoutRetired }))).toEqual([
      'signature: manifest.dsse.json: key key-2025 is not among the published keys',
    ]);
  });

  describe('against a checkpoint kept from before', () => {
    it('passes when the chain still holds its head', () => {
      const { chain } = scenario();
      const earlier = chain.checkpoint(newKey, '2026-03-01T00:00:00.000Z');
      chain.append('io.attest.evidence.evidence-linked-to-control.v1', 'item-a', { itemId: 'item-a' });
      const latest = chain.checkpoint(newKey, '2026-03-31T00:00:00.000Z');
      const bundle = testBundle(
        [{ file: fileOf('item-b', 1, 'user,role\nalice,admin\n'), event: chain.events[1] }],
        chain,
        latest,
        newKey,
      );
      const report = verifyBundle(contentsOf(bundle.entries), {
        publicKeys: keys,
        earlierCheckpoint: earlier,
      });
      expect(failures(report)).toEqual([]);
      expect(report.checks.at(-1)).toEqual({
        check: 'earlier-checkpoint',
        ok: true,
        details: [
          'the checkpoint at sequence 4 signed 2026-03-01T00:00:00.000Z: the chain still holds its head',
        ],
      });
    });

    it('catches a chain truncated below a checkpoint signed before the bundle', () => {
      const { chain } = scenario();
      chain.append('io.attest.evidence.evidence-linked-to-control.v1', 'item-a', { itemId: 'item-a' });
      const earlier = chain.checkpoint(newKey, '2026-03-01T00:00:00.000Z'); // at sequence 5
      // The operator deletes sequence 5 and moves the head back; the next bundle signs the shorter chain.
      chain.events.pop();
      const later = chain.checkpoint(newKey, '2026-03-31T00:00:00.000Z');
      const bundle = testBundle(
        [{ file: fileOf('item-b', 1, 'user,role\nalice,admin\n'), event: chain.events[1] }],
        chain,
        later,
        newKey,
      );
      const report = verifyBundle(contentsOf(bundle.entries), {
        publicKeys: keys,
        earlierCheckpoint: earlier,
      });
      expect(failures(report)).toEqual([
        expect.stringMatching(/^earlier-checkpoint: the checkpoint at sequence 5 .*: truncated/),
      ]);
    });

    it('catches a rewritten chain whose hashes were all recomputed', () => {
      const { chain } = scenario();
      const earlier = chain.checkpoint(newKey, '2026-03-01T00:00:00.000Z'); // head at sequence 4
      const rewritten = new TestChain();
      for (const e of chain.events)
        rewritten.append(
          e.ceType,
          e.streamId,
          e.tenantSequence === 4 ? { itemId: 'item-b', controlId: 'other' } : e.data,
        );
      const later = rewritten.checkpoint(newKey, '2026-03-31T00:00:00.000Z');
      const b = rewritten.events[1];
      const bundle = testBundle(
        [{ file: fileOf('item-b', 1, 'user,role\nalice,admin\n'), event: b }],
        rewritten,
        later,
        newKey,
      );
      const report = verifyBundle(contentsOf(bundle.entries), {
        publicKeys: keys,
        earlierCheckpoint: earlier,
      });
      expect(failures(report)).toEqual([
        expect.stringMatching(/^earlier-checkpoint: .*sequence 4 .*does not hold the signed head/),
      ]);
    });
  });

  it('exits 0 for a good bundle and 1 naming the altered file, as a command', () => {
    const { bundle } = scenario();
    const dir = mkdtempSync(join(tmpdir(), 'attest-verify-'));
    try {
      const good = join(dir, 'good');
      writeEntries(good, bundle.entries);
      const bad = join(dir, 'bad');
      writeEntries(bad, changed(bundle, 'files/item-b/v1/users.csv', 3));
      writeFileSync(join(dir, 'jwks.json'), JSON.stringify(newKey.jwks()));
      const run = (path: string) =>
        spawnSync(
          process.execPath,
          ['-r', '@swc-node/register', join(__dirname, 'main.ts'), path, '--keys', join(dir, 'jwks.json')],
          {
            cwd: REPO_ROOT,
            encoding: 'utf8',
            env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
            timeout: 60_000,
          },
        );
      const ok = run(good);
      expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
      expect(ok.stdout).toMatch(/VERIFIED\n$/);
      const failed = run(bad);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain('FAIL files\n     files/item-b/v1/users.csv: SHA-256');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has an envelope that securesystemslib, an independent DSSE implementation, verifies and rejects when altered', () => {
    if (!existsSync(DSSE_PYTHON))
      throw new Error(
        'the DSSE verifier is not installed: run `bash tools/attest-verify/ensure-dsse-verifier.sh` (npm test does)',
      );
    const { bundle } = scenario(oldKey);
    const dir = mkdtempSync(join(tmpdir(), 'attest-dsse-'));
    try {
      writeFileSync(join(dir, 'jwks.json'), JSON.stringify(newKey.jwks()));
      writeFileSync(join(dir, 'good.json'), bundle.manifest.bytes);
      const altered = {
        ...bundle.manifest.envelope,
        payload: Buffer.from(
          Buffer.from(bundle.manifest.envelope.payload, 'base64')
            .toString('utf8')
            .replace('item-b', 'item-c'),
        ).toString('base64'),
      };
      writeFileSync(join(dir, 'altered.json'), JSON.stringify(altered));
      const check = (file: string) => {
        const run = spawnSync(
          DSSE_PYTHON,
          [join(__dirname, '..', 'verify-dsse.py'), join(dir, file), join(dir, 'jwks.json')],
          {
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
        return {
          status: run.status,
          result: JSON.parse(run.stdout || '{}') as Record<string, unknown>,
          stderr: run.stderr,
        };
      };
      expect(check('good.json')).toMatchObject({
        status: 0,
        result: { verified: true, keyids: ['key-2025'], payloadType: 'application/vnd.in-toto+json' },
      });
      expect(check('altered.json')).toMatchObject({ status: 1, result: { verified: false } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function fileOf(itemId: string, version: number, content: string) {
  return {
    itemId,
    version,
    fileName: itemId === 'item-a' ? 'policy.txt' : 'users.csv',
    content: Buffer.from(content),
  };
}

function sha(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function changed(bundle: TestBundle, name: string, at: number): Map<string, Buffer> {
  const bytes = Buffer.from(bundle.entries.get(name)!);
  bytes[at] ^= 0x01;
  return new Map(bundle.entries).set(name, bytes);
}

/** The same bundle with another chain slice, re-signed: what a service that serves a doctored chain would issue. */
function resliced(chain: TestChain, checkpoint: ChainCheckpoint, records: ChainRecord[]): TestBundle {
  const b = chain.events[1];
  const fresh = testBundle(
    [{ file: fileOf('item-b', 1, 'user,role\nalice,admin\n'), event: b }],
    chain,
    checkpoint,
    newKey,
  );
  const chainFile = chainRecordsFile(records);
  const manifest = signBundleManifest(fresh.manifest.statement.predicate, chainFile, (pae) =>
    newKey.signDssePae(pae),
  );
  return {
    manifest,
    chainFile,
    entries: new Map(fresh.entries)
      .set('manifest.dsse.json', manifest.bytes)
      .set('chain/events.jsonl', chainFile),
  };
}

function writeEntries(dir: string, entries: Map<string, Buffer>): void {
  for (const [name, bytes] of entries) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function entriesOf(archive: Buffer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    text(stream).then((t) => {
      out.set(header.name, t);
      next();
    }, next);
  });
  Readable.from([archive]).pipe(createGunzip()).pipe(reader);
  await new Promise((resolve, reject) => reader.on('finish', resolve).on('error', reject));
  return out;
}
