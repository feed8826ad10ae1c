import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chainCheckpointIntervalMs,
  chainCheckpointStreamId,
  checkpointSigningInput,
  ChainSigningKeys,
  loadChainSigningKeys,
  publicKeysFromJwks,
  verifyCheckpointSignature,
  type ChainKeyring,
} from './chain-checkpoints';
import { verifyCloudEventChain } from './chain-verification';
import { chainedFormOfReceived, chainHash, GENESIS_HASH, type ReceivedChainEvent } from './hash-chain';

function keyring(...kids: string[]): ChainKeyring {
  const keys: Record<string, string> = {};
  for (const kid of kids)
    keys[kid] = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return { active: kids[0], keys };
}

const keys = ChainSigningKeys.fromKeyring(keyring('k2', 'k1'));
const jwksKeys = publicKeysFromJwks(JSON.parse(JSON.stringify(keys.jwks())));

/** Events of tenant acme as a consumer decodes them from Kafka, hashed by the documented rule. */
function received(n: number, tamper?: (e: ReceivedChainEvent) => void): ReceivedChainEvent[] {
  const out: ReceivedChainEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: ReceivedChainEvent = {
      id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      source: '/attest/readiness',
      type: 'io.attest.readiness.answer-recorded.v1',
      time: `2026-01-01T00:00:0${i % 10}.000Z`,
      subject: 'a-1',
      tenantid: 'acme',
      streamversion: i,
      tenantsequence: i,
      globalposition: 100 + i,
      schemaversion: 1,
      data: { n: i },
      attestprevhash: prev,
      attesthash: '',
    };
    tamper?.(e);
    e.attesthash = chainHash(prev, chainedFormOfReceived(e));
    out.push(e);
    prev = e.attesthash;
  }
  return out;
}

describe('chain checkpoints', () => {
  const events = received(6);
  const checkpoint = keys.sign({
    tenantId: 'acme',
    tenantSequence: 4,
    headHash: events[3].attesthash,
    globalPosition: 104,
    signedAt: '2026-01-02T00:00:00.000Z',
  });

  it('signs with the active key and verifies with the published JWKS (Ed25519, OKP)', () => {
    expect(checkpoint.keyId).toBe('k2');
    expect(checkpoint.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(keys.jwks().keys.map((k) => [k.kid, k.kty, k.crv, k.alg])).toEqual([
      ['k2', 'OKP', 'Ed25519', 'EdDSA'],
      ['k1', 'OKP', 'Ed25519', 'EdDSA'],
    ]);
    expect(verifyCheckpointSignature(checkpoint, jwksKeys)).toBe(true);
    expect(verifyCheckpointSignature({ ...checkpoint, tenantSequence: 5 }, jwksKeys)).toBe(false);
    expect(verifyCheckpointSignature({ ...checkpoint, tenantId: 'other' }, jwksKeys)).toBe(false);
    const stranger = ChainSigningKeys.fromKeyring(keyring('k2'));
    expect(verifyCheckpointSignature(checkpoint, stranger.publicKeys())).toBe(false);
  });

  it('refuses a keyring whose active key is missing or not Ed25519', () => {
    expect(() => ChainSigningKeys.fromKeyring({ ...keyring('a'), active: 'b' })).toThrow(
      /not in the keyring/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    expect(() => ChainSigningKeys.fromKeyring({ active: 'r', keys: { r: rsa as string } })).toThrow(
      /not Ed25519/,
    );
  });

  it('loads the keyring ATTEST_CHAIN_SIGNING_KEYS names, else the development one, never in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-keyring-'));
    try {
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify(keyring('ops-1')));
      expect(loadChainSigningKeys({ ATTEST_CHAIN_SIGNING_KEYS: file })?.activeKeyId).toBe('ops-1');
      mkdirSync(join(dir, 'local', 'chain-signing'), { recursive: true });
      writeFileSync(join(dir, 'local', 'chain-signing', 'keyring.json'), JSON.stringify(keyring('dev-1')));
      expect(loadChainSigningKeys({ ATTEST_LOCAL_DIR: join(dir, 'local') })?.activeKeyId).toBe('dev-1');
      expect(
        loadChainSigningKeys({ ATTEST_LOCAL_DIR: join(dir, 'local'), NODE_ENV: 'production' }),
      ).toBeNull();
      expect(loadChainSigningKeys({ ATTEST_LOCAL_DIR: join(dir, 'nowhere') })).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checkpoints every 5 minutes unless ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS says otherwise', () => {
    expect(chainCheckpointIntervalMs({})).toBe(300_000);
    expect(chainCheckpointIntervalMs({ ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS: '60000' })).toBe(60_000);
    expect(() => chainCheckpointIntervalMs({ ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS: '5s' })).toThrow(
      /milliseconds/,
    );
  });

  it('signs DSSE pre-authentication encodings with the same keyring, and nothing else', () => {
    const pae = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 {}');
    const { keyid, sig } = keys.signDssePae(pae);
    expect(keyid).toBe('k2');
    expect(verify(null, pae, jwksKeys.get('k2')!, Buffer.from(sig, 'base64'))).toBe(true);
    // A checkpoint's signing input (or any bytes not a PAE) is never signed this way: no signature of one kind
    // can be presented as the other.
    const input = Buffer.from(
      checkpointSigningInput({
        tenantId: 'acme',
        tenantSequence: 1,
        headHash: GENESIS_HASH,
        globalPosition: 1,
        signedAt: '2026-01-01T00:00:00.000Z',
        keyId: 'k2',
      }),
    );
    expect(() => keys.signDssePae(input)).toThrow(/only a DSSE pre-authentication encoding/);
  });

  it('derives one UUID stream per tenant for its checkpoints', () => {
    expect(chainCheckpointStreamId('acme')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(chainCheckpointStreamId('acme')).toBe(chainCheckpointStreamId('acme'));
    expect(chainCheckpointStreamId('acme')).not.toBe(chainCheckpointStreamId('globex'));
  });
});

describe('verifying received events (Kafka) against a checkpoint', () => {
  const events = received(6);
  const checkpoint = keys.sign({
    tenantId: 'acme',
    tenantSequence: 4,
    headHash: events[3].attesthash,
    globalPosition: 104,
    signedAt: '2026-01-02T00:00:00.000Z',
  });
  const options = { checkpoint, publicKeys: jwksKeys };

  it('accepts the chain in any arrival order, from the start or from right after the checkpoint', () => {
    expect(verifyCloudEventChain([...events].reverse(), options)).toMatchObject({ ok: true, events: 6 });
    expect(verifyCloudEventChain(events.slice(4), options)).toMatchObject({ ok: true, events: 2 });
    expect(verifyCloudEventChain(events.slice(2), options)).toMatchObject({ ok: true, events: 4 });
  });

  it('catches a chain truncated below the checkpoint', () => {
    expect(verifyCloudEventChain(events.slice(0, 3), options)).toMatchObject({
      ok: false,
      reason: 'truncated',
    });
  });

  it('catches a suffix rewritten with every hash recomputed (each link checks out alone)', () => {
    const forged = received(6, (e) => {
      if (e.tenantsequence === 3) e.data = { n: 'forged' };
    });
    expect(verifyCloudEventChain(forged)).toMatchObject({ ok: true });
    expect(verifyCloudEventChain(forged, options)).toMatchObject({
      ok: false,
      reason: 'checkpoint-mismatch',
      tenantSequence: 4,
    });
    expect(verifyCloudEventChain(forged.slice(4), options)).toMatchObject({
      ok: false,
      reason: 'checkpoint-mismatch',
    });
  });

  it('catches an edited event, a missing one and a forged checkpoint', () => {
    const edited = events.map((e) => (e.tenantsequence === 5 ? { ...e, data: { n: 50 } } : e));
    expect(verifyCloudEventChain(edited)).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      tenantSequence: 5,
    });
    expect(verifyCloudEventChain(events.filter((e) => e.tenantsequence !== 2))).toMatchObject({
      ok: false,
      reason: 'sequence-gap',
    });
    expect(
      verifyCloudEventChain(events, {
        ...options,
        checkpoint: { ...checkpoint, headHash: events[2].attesthash },
      }),
    ).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});
