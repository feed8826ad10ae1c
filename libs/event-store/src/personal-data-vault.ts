import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  ERASED_VALUE,
  SEALED_TOKEN_PATTERN,
  valueAtPointer,
  withValueAtPointer,
  type PersonalField,
} from '@attest/event-contracts';
import type { StreamAppend } from './postgres-event-store';
import type { Projection } from './projection';
import type { RecordedEvent } from './recorded-event';

type Queryable = Pick<Pool, 'query'>;

/** What an erasure did: ids and a time, never the erased values. */
export interface ErasureRecord {
  erasureId: string;
  subjectId: string;
  /** The actor who asked for it (`user:<id>`, `system:<name>`). */
  erasedBy: string;
  erasedAt: string;
  /** How many keys of the person were deleted (0: nothing was sealed for them, or they were forgotten already). */
  keysErased: number;
}

/** A token turned back into its value, or `erased` when the key is gone (or the token is not this tenant's). */
export type Resolution =
  { token: string; erased: false; value: string; field: string } | { token: string; erased: true };

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Binds a sealed value to its tenant and person: a token moved to another tenant or person does not open. */
function additionalData(tenantId: string, subjectId: string): Buffer {
  return Buffer.from(`pd1\u0000${tenantId}\u0000${subjectId}`, 'utf8');
}

function sealValue(
  key: Buffer,
  keyId: string,
  tenantId: string,
  subjectId: string,
  field: string,
  value: string,
) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData(tenantId, subjectId));
  // The field's pointer is sealed with the value, so a token resolved on its own still says what it was.
  const body = Buffer.concat([cipher.update(JSON.stringify([field, value]), 'utf8'), cipher.final()]);
  return `pd1.${keyId}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The sealed [field, value], or null when the token does not open with this key (not one this vault sealed). */
function openValue(
  key: Buffer,
  tenantId: string,
  subjectId: string,
  sealed: string,
): [string, string] | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES + 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(additionalData(tenantId, subjectId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const parsed = JSON.parse(plain.toString('utf8')) as unknown;
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')
      ? (parsed as [string, string])
      : null;
  } catch {
    return null;
  }
}

/** Every string anywhere in `data`, mapped; objects are copied only where something changed. */
function mapStrings(data: unknown, map: (s: string) => string): unknown {
  if (typeof data === 'string') return map(data);
  if (Array.isArray(data)) {
    const out = data.map((v) => mapStrings(v, map));
    return out.some((v, i) => v !== data[i]) ? out : data;
  }
  if (typeof data === 'object' && data !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      out[k] = mapStrings(v, map);
      changed ||= out[k] !== v;
    }
    return changed ? out : data;
  }
  return data;
}

function tokensIn(data: unknown, into: Set<string>): void {
  mapStrings(data, (s) => {
    if (SEALED_TOKEN_PATTERN.test(s)) into.add(s);
    return s;
  });
}

interface KeyRow {
  key_id: string;
  tenant_id: string;
  subject_id: string;
  key: Buffer | null;
}

/**
 * Crypto-shredding of personal data in events (docs/events/README.md, "Personal data and erasure"). Each person
 * (subject) of a tenant has a random AES-256-GCM key in `event_store.subject_keys`:
 *
 * - `sealAppends` replaces the declared personal fields of events about to be appended by tokens, so what is
 *   stored, hashed and published carries no personal value;
 * - `reveal` turns the tokens of read events back into values for deciders and projections, `[erased]` where the
 *   key was deleted;
 * - `forget` deletes a person's keys: their values can no longer be read anywhere, while the events, their hashes
 *   and the tenant's chain stay exactly as they were.
 *
 * No key is cached in memory, so an erasure holds from the moment it commits.
 */
export class PersonalDataVault {
  /** @param fieldsOf the personal fields of a store type (`personalFieldsOfStoreType(context)`). */
  constructor(private readonly fieldsOf: (storeType: string) => readonly PersonalField[]) {}

  /** The appends with every declared personal field of their events sealed. */
  async sealAppends(queryable: Queryable, appends: readonly StreamAppend[]): Promise<StreamAppend[]> {
    const wanted = new Map<string, Set<string>>(); // tenant → subjects
    for (const a of appends)
      for (const e of a.events)
        for (const field of this.fieldsOf(e.type)) {
          if (typeof valueAtPointer(e.data, field.pointer) !== 'string') continue;
          const subject = valueAtPointer(e.data, field.subject);
          if (typeof subject !== 'string' || !subject)
            throw new TypeError(`${e.type}: ${field.pointer} has no subject at ${field.subject}`);
          const subjects = wanted.get(a.tenantId) ?? new Set<string>();
          wanted.set(a.tenantId, subjects.add(subject));
        }
    if (wanted.size === 0) return [...appends];
    const keys = new Map<string, { keyId: string; key: Buffer }>(); // `${tenant}\0${subject}` → key
    for (const [tenantId, subjects] of wanted)
      for (const [subjectId, key] of await this.liveKeys(queryable, tenantId, [...subjects]))
        keys.set(`${tenantId}\u0000${subjectId}`, key);

    return appends.map((a) => ({
      ...a,
      events: a.events.map((e) => {
        let data = e.data;
        for (const field of this.fieldsOf(e.type)) {
          const value = valueAtPointer(data, field.pointer);
          if (typeof value !== 'string') continue;
          const subjectId = valueAtPointer(data, field.subject) as string;
          const live = keys.get(`${a.tenantId}\u0000${subjectId}`);
          if (!live) throw new Error(`no personal-data key for a subject of ${e.type}`); // liveKeys made them all
          const { keyId, key } = live;
          const token = sealValue(key, keyId, a.tenantId, subjectId, field.pointer, value);
          data = withValueAtPointer(data, field.pointer, token);
        }
        return data === e.data ? e : { ...e, data };
      }),
    }));
  }

  /**
   * The events with every sealed value opened: the value, or `[erased]` when its person was forgotten. A string
   * that only looks like a token (no key of the event's tenant by that id, or it does not open) is left as it is.
   */
  async reveal(queryable: Queryable, events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const tokens = new Set<string>();
    for (const e of events) tokensIn(e.data, tokens);
    if (tokens.size === 0) return [...events];
    const rows = await this.keyRows(queryable, [...tokens]);
    return events.map((e) => {
      const data = mapStrings(e.data, (s) => {
        const m = SEALED_TOKEN_PATTERN.exec(s);
        const row = m && rows.get(m[1]);
        if (!m || !row || row.tenant_id !== e.tenantId) return s;
        if (!row.key) return ERASED_VALUE;
        return openValue(row.key, row.tenant_id, row.subject_id, m[2])?.[1] ?? s;
      });
      return data === e.data ? e : { ...e, data };
    });
  }

  /** Each token's value for a tenant, or `erased` (its key is gone, or it is not a token of this tenant). */
  async resolve(queryable: Queryable, tenantId: string, tokens: readonly string[]): Promise<Resolution[]> {
    const rows = await this.keyRows(
      queryable,
      tokens.filter((t) => SEALED_TOKEN_PATTERN.test(t)),
    );
    return tokens.map((token) => {
      const m = SEALED_TOKEN_PATTERN.exec(token);
      const row = m && rows.get(m[1]);
      const opened =
        m && row?.key && row.tenant_id === tenantId
          ? openValue(row.key, tenantId, row.subject_id, m[2])
          : null;
      return opened ? { token, erased: false, value: opened[1], field: opened[0] } : { token, erased: true };
    });
  }

  /**
   * Forgets a person of a tenant: deletes their keys (their sealed values read as `[erased]` from the commit on)
   * and the tenant's aggregate snapshots (which hold values revealed earlier; they are rebuilt from the events),
   * and records the erasure. Run it in the transaction that also re-projects the tenant's read models
   * (`reprojectTenant`), so keys and read models change together.
   */
  async forget(
    queryable: Queryable,
    tenantId: string,
    subjectId: string,
    erasedBy: string,
  ): Promise<ErasureRecord> {
    const erased = await queryable.query(
      `UPDATE event_store.subject_keys SET key = NULL, erased_at = now()
       WHERE tenant_id = $1 AND subject_id = $2 AND key IS NOT NULL`,
      [tenantId, subjectId],
    );
    await queryable.query(
      `DELETE FROM event_store.snapshots sn USING event_store.streams st
       WHERE st.stream_id = sn.stream_id AND st.tenant_id = $1`,
      [tenantId],
    );
    const record = await queryable.query<{ erasure_id: string; erased_at: Date; keys_erased: number }>(
      `INSERT INTO event_store.personal_data_erasures (erasure_id, tenant_id, subject_id, erased_by, keys_erased)
       VALUES ($1, $2, $3, $4, $5) RETURNING erasure_id, erased_at, keys_erased`,
      [randomUUID(), tenantId, subjectId, erasedBy, erased.rowCount ?? 0],
    );
    const r = record.rows[0];
    return {
      erasureId: r.erasure_id,
      subjectId,
      erasedBy,
      erasedAt: r.erased_at.toISOString(),
      keysErased: r.keys_erased,
    };
  }

  /** The live key of each subject, created where there is none. */
  private async liveKeys(
    queryable: Queryable,
    tenantId: string,
    subjects: string[],
  ): Promise<Map<string, { keyId: string; key: Buffer }>> {
    const found = new Map<string, { keyId: string; key: Buffer }>();
    // A key created by a concurrent append after this statement's snapshot is neither inserted (conflict) nor
    // seen; the next round sees it.
    for (let round = 0; round < 3 && found.size < subjects.length; round++) {
      const missing = subjects.filter((s) => !found.has(s));
      const rows = await queryable.query<{ subject_id: string; key_id: string; key: Buffer }>(
        `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bytea[]) AS w (subject_id, key_id, key)),
         created AS (
           INSERT INTO event_store.subject_keys (tenant_id, subject_id, key_id, key)
           SELECT $1, subject_id, key_id, key FROM wanted
           ON CONFLICT (tenant_id, subject_id) WHERE key IS NOT NULL DO NOTHING
           RETURNING subject_id, key_id, key)
         SELECT subject_id, key_id, key FROM created
         UNION ALL
         SELECT k.subject_id, k.key_id, k.key FROM event_store.subject_keys k
         WHERE k.tenant_id = $1 AND k.subject_id = ANY($2::text[]) AND k.key IS NOT NULL`,
        [
          tenantId,
          missing,
          missing.map(() => randomBytes(16).toString('base64url')),
          missing.map(() => randomBytes(32)),
        ],
      );
      for (const r of rows.rows) found.set(r.subject_id, { keyId: r.key_id, key: r.key });
    }
    if (found.size < subjects.length) throw new Error('could not create the personal-data keys of an append');
    return found;
  }

  private async keyRows(queryable: Queryable, tokens: readonly string[]): Promise<Map<string, KeyRow>> {
    const keyIds = [
      ...new Set(tokens.map((t) => SEALED_TOKEN_PATTERN.exec(t)?.[1]).filter((k): k is string => !!k)),
    ];
    if (keyIds.length === 0) return new Map();
    const rows = await queryable.query<KeyRow>(
      'SELECT key_id, tenant_id, subject_id, key FROM event_store.subject_keys WHERE key_id = ANY($1::text[])',
      [keyIds],
    );
    return new Map(rows.rows.map((r) => [r.key_id, r]));
  }
}

/**
 * The projection fed with revealed events: its read model holds names and e-mail addresses in the clear (or
 * `[erased]`), so its queries need no vault. After an erasure, `reprojectTenant` rebuilds the tenant's rows.
 */
export function revealingProjection(projection: Projection, vault: PersonalDataVault): Projection {
  return {
    ...projection,
    apply: async (tx, schema, events) => projection.apply(tx, schema, await vault.reveal(tx, events)),
  };
}
