import { existsSync, readFileSync } from 'node:fs';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { resolve } from 'node:path';
import canonicalize from 'canonicalize';
import type { Pool, PoolClient } from 'pg';
import { withStoreTransaction } from './append-notifier';
import type { PostgresEventStore } from './postgres-event-store';

/**
 * A signed statement "tenant T's chain had head H at sequence S (global position P)". Stored outside the events
 * table and appended as the tenant's next event, so it is published: whoever kept one can later prove, offline and
 * with the public key alone, that a chain still contains that head (chain-verification.ts).
 */
export interface ChainCheckpoint {
  tenantId: string;
  tenantSequence: number;
  headHash: string;
  globalPosition: number;
  /** ISO-8601, UTC, milliseconds. */
  signedAt: string;
  keyId: string;
  /** Ed25519 over `checkpointSigningInput`, base64url without padding. */
  signature: string;
}

/** The bytes a checkpoint's signature covers: the RFC 8785 canonical JSON of every field but the signature. */
export function checkpointSigningInput(c: Omit<ChainCheckpoint, 'signature'>): string {
  return canonicalize({
    tenantId: c.tenantId,
    tenantSequence: c.tenantSequence,
    headHash: c.headHash,
    globalPosition: c.globalPosition,
    signedAt: c.signedAt,
    keyId: c.keyId,
  }) as string;
}

/** Public keys by key id (`kid`), e.g. from a service's JWKS (`publicKeysFromJwks`). */
export type ChainPublicKeys = ReadonlyMap<string, KeyObject>;

export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** Whether the checkpoint was signed by one of the keys; an unknown key id is not a valid signature. */
export function verifyCheckpointSignature(c: ChainCheckpoint, keys: ChainPublicKeys): boolean {
  const key = keys.get(c.keyId);
  if (!key) return false;
  return verify(
    null,
    Buffer.from(checkpointSigningInput(c), 'utf8'),
    key,
    Buffer.from(c.signature, 'base64url'),
  );
}

export function publicKeysFromJwks(jwks: {
  keys: readonly { kid?: string; kty?: string; crv?: string }[];
}): ChainPublicKeys {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys) {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.kid) continue;
    keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
  }
  return keys;
}

/** The keyring file `ATTEST_CHAIN_SIGNING_KEYS` names: Ed25519 private keys (PKCS#8 PEM) by key id. */
export interface ChainKeyring {
  /** The key id new checkpoints are signed with; the others stay published so older checkpoints still verify. */
  active: string;
  keys: Record<string, string>;
}

export const CHAIN_SIGNING_KEYS_ENV = 'ATTEST_CHAIN_SIGNING_KEYS';
/** Where `infra.sh up` writes a development keyring (never committed). */
export const DEV_CHAIN_KEYRING = '.local/chain-signing/keyring.json';

const DSSE_PAE_PREFIX = Buffer.from('DSSEv1 ', 'utf8');

/** A service's checkpoint signing keys. */
export class ChainSigningKeys {
  private constructor(
    readonly activeKeyId: string,
    private readonly privateKeys: ReadonlyMap<string, KeyObject>,
  ) {}

  static fromKeyring(keyring: ChainKeyring): ChainSigningKeys {
    const keys = new Map<string, KeyObject>();
    for (const [kid, pem] of Object.entries(keyring.keys ?? {})) {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`chain signing key ${kid} is not Ed25519`);
      keys.set(kid, key);
    }
    if (!keys.has(keyring.active))
      throw new TypeError(`the active chain signing key '${keyring.active}' is not in the keyring`);
    return new ChainSigningKeys(keyring.active, keys);
  }

  static fromFile(path: string): ChainSigningKeys {
    return ChainSigningKeys.fromKeyring(JSON.parse(readFileSync(path, 'utf8')) as ChainKeyring);
  }

  sign(fields: Omit<ChainCheckpoint, 'signature' | 'keyId'>): ChainCheckpoint {
    const unsigned = { ...fields, keyId: this.activeKeyId };
    const key = this.privateKeys.get(this.activeKeyId)!;
    const signature = sign(null, Buffer.from(checkpointSigningInput(unsigned), 'utf8'), key).toString(
      'base64url',
    );
    return { ...unsigned, signature };
  }

  /**
   * Signs a DSSE pre-authentication encoding (an evidence bundle's envelope) with the active key, and refuses any
   * other bytes: a checkpoint's signing input is JSON, a PAE starts with "DSSEv1 ", so neither signature can ever
   * be passed off as the other although both come from the one keyring. `sig` is standard base64, as DSSE has it.
   */
  signDssePae(pae: Buffer): { keyid: string; sig: string } {
    if (!pae.subarray(0, DSSE_PAE_PREFIX.length).equals(DSSE_PAE_PREFIX))
      throw new TypeError('only a DSSE pre-authentication encoding ("DSSEv1 …") is signed this way');
    const key = this.privateKeys.get(this.activeKeyId)!;
    return { keyid: this.activeKeyId, sig: sign(null, pae, key).toString('base64') };
  }

  publicKeys(): ChainPublicKeys {
    return new Map([...this.privateKeys].map(([kid, key]) => [kid, createPublicKey(key)]));
  }

  /** The public keys as a JSON Web Key Set (RFC 8037 OKP keys), as `GET /v1/event-chain/keys` serves it. */
  jwks(): { keys: Ed25519Jwk[] } {
    return {
      keys: [...this.publicKeys()].map(([kid, key]) => {
        const { x } = key.export({ format: 'jwk' }) as { x: string };
        return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
      }),
    };
  }
}

/**
 * The service's signing keys: the keyring `ATTEST_CHAIN_SIGNING_KEYS` names; outside production, the development
 * keyring `infra.sh up` generated when the variable is not set. Null when there is none (no checkpoints then).
 */
export function loadChainSigningKeys(
  env: NodeJS.ProcessEnv = process.env,
  repoRoot = resolve(__dirname, '../../..'),
): ChainSigningKeys | null {
  const configured = env[CHAIN_SIGNING_KEYS_ENV];
  if (configured) return ChainSigningKeys.fromFile(configured);
  if (env['NODE_ENV'] === 'production') return null;
  const dev = resolve(env['ATTEST_LOCAL_DIR'] ?? resolve(repoRoot, '.local'), 'chain-signing/keyring.json');
  return existsSync(dev) ? ChainSigningKeys.fromFile(dev) : null;
}

export const CHAIN_CHECKPOINT_EVENT_TYPE = 'ChainCheckpointSigned';
export const CHAIN_CHECKPOINT_STREAM_TYPE = 'chain-checkpoint';
export const CHAIN_CHECKPOINT_ACTOR = 'system:chain-checkpoint';

/** The tenant's checkpoint stream: a UUID derived from the tenant id (RFC 9562 version 8, name-based on SHA-256). */
export function chainCheckpointStreamId(tenantId: string): string {
  const b = createHash('sha256')
    .update(`attest:chain-checkpoint:${tenantId}`, 'utf8')
    .digest()
    .subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface CheckpointRow {
  tenant_id: string;
  tenant_sequence: string;
  head_hash: string;
  global_position: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

function fromRow(r: CheckpointRow): ChainCheckpoint {
  return {
    tenantId: r.tenant_id,
    tenantSequence: Number(r.tenant_sequence),
    headHash: r.head_hash,
    globalPosition: Number(r.global_position),
    signedAt: r.signed_at.toISOString(),
    keyId: r.key_id,
    signature: r.signature,
  };
}

/** Signs tenants' chain heads, keeps the checkpoints (`event_store.chain_checkpoints`) and publishes them as events. */
export class ChainCheckpointer {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly keys: ChainSigningKeys,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Signs the tenant's current head and appends the checkpoint as the tenant's next event, in one transaction that
   * holds the head's lock, so the checkpoint event's previous hash is exactly the signed head. Null when the tenant
   * has no events yet.
   */
  async checkpoint(tenantId: string): Promise<ChainCheckpoint | null> {
    return withStoreTransaction(this.pool, (tx) => this.checkpointIn(tx, tenantId, false));
  }

  /** Checkpoints every tenant whose chain moved since its last checkpoint (whose head is not that checkpoint's event). */
  async checkpointMovedTenants(): Promise<ChainCheckpoint[]> {
    const moved = await this.pool.query<{ tenant_id: string }>(
      `SELECT t.tenant_id FROM event_store.tenant_chains t
       WHERE t.last_sequence > coalesce(
         (SELECT max(c.tenant_sequence) + 1 FROM event_store.chain_checkpoints c WHERE c.tenant_id = t.tenant_id), 0)
       ORDER BY t.tenant_id`,
    );
    const done: ChainCheckpoint[] = [];
    for (const { tenant_id } of moved.rows) {
      // Checked again under the head's lock: another replica may have signed it meanwhile.
      const c = await withStoreTransaction(this.pool, (tx) => this.checkpointIn(tx, tenant_id, true));
      if (c) done.push(c);
    }
    return done;
  }

  /** The tenant's checkpoints, oldest first. */
  async checkpoints(tenantId: string): Promise<ChainCheckpoint[]> {
    const r = await this.pool.query<CheckpointRow>(
      'SELECT * FROM event_store.chain_checkpoints WHERE tenant_id = $1 ORDER BY tenant_sequence',
      [tenantId],
    );
    return r.rows.map(fromRow);
  }

  private async checkpointIn(
    tx: PoolClient,
    tenantId: string,
    onlyIfMoved: boolean,
  ): Promise<ChainCheckpoint | null> {
    // Before the head's row lock takes a transaction id: appends queue on this lock, so none commits in between and
    // the checkpoint's own append is never refused as out of log order (nor deadlocks with one waiting for the row).
    await this.store.lockTenantsForAppend(tx, [tenantId]);
    const head = await tx.query<{ last_sequence: string; last_hash: string; global_position: string }>(
      `SELECT t.last_sequence, t.last_hash, e.global_position
       FROM event_store.tenant_chains t
       JOIN event_store.events e ON e.tenant_id = t.tenant_id AND e.tenant_sequence = t.last_sequence
       WHERE t.tenant_id = $1 FOR UPDATE OF t`,
      [tenantId],
    );
    const h = head.rows[0];
    if (!h) return null;
    if (onlyIfMoved) {
      const last = await tx.query<{ sequence: string | null }>(
        'SELECT max(tenant_sequence) AS sequence FROM event_store.chain_checkpoints WHERE tenant_id = $1',
        [tenantId],
      );
      // The head is the last checkpoint's own event: nothing moved since.
      if (Number(h.last_sequence) <= Number(last.rows[0].sequence ?? -1) + 1) return null;
    }
    const checkpoint = this.keys.sign({
      tenantId,
      tenantSequence: Number(h.last_sequence),
      headHash: h.last_hash,
      globalPosition: Number(h.global_position),
      signedAt: this.clock().toISOString(),
    });
    await tx.query(
      `INSERT INTO event_store.chain_checkpoints
         (tenant_id, tenant_sequence, head_hash, global_position, signed_at, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tenantId,
        checkpoint.tenantSequence,
        checkpoint.headHash,
        checkpoint.globalPosition,
        checkpoint.signedAt,
        checkpoint.keyId,
        checkpoint.signature,
      ],
    );
    const { tenantId: _tenant, ...signed } = checkpoint;
    await this.store.appendInTransaction(tx, [
      {
        tenantId,
        streamId: chainCheckpointStreamId(tenantId),
        streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
        expectedVersion: 'any',
        events: [
          {
            type: CHAIN_CHECKPOINT_EVENT_TYPE,
            data: {
              chainId: chainCheckpointStreamId(tenantId),
              ...signed,
              actor: { type: 'system', id: CHAIN_CHECKPOINT_ACTOR },
            },
            metadata: { actor: CHAIN_CHECKPOINT_ACTOR },
          },
        ],
      },
    ]);
    return checkpoint;
  }
}

/**
 * Checkpoints every moved tenant on an interval (`ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS`, default 5 minutes). One
 * run at a time; a failed run is reported and the next one tries again.
 */
export class ChainCheckpointSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly checkpointer: ChainCheckpointer,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.checkpointer
        .checkpointMovedTenants()
        .catch(this.onError)
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

export const CHAIN_CHECKPOINT_INTERVAL_ENV = 'ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS';
export const DEFAULT_CHAIN_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

export function chainCheckpointIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[CHAIN_CHECKPOINT_INTERVAL_ENV];
  if (!raw) return DEFAULT_CHAIN_CHECKPOINT_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 1000)
    throw new TypeError(`${CHAIN_CHECKPOINT_INTERVAL_ENV} must be a whole number of milliseconds ≥ 1000`);
  return ms;
}
