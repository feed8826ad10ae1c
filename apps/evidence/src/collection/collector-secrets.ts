import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Setting } from '@attest/service-kit';

/** The variable holding the key collector secrets are encrypted under: 32 bytes, standard base64. */
export const COLLECTOR_SECRETS_KEY_ENV = 'ATTEST_COLLECTOR_SECRETS_KEY';
/** Standard base64 of 32 bytes. */
const COLLECTOR_SECRETS_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The sealed form's version: a later scheme (or key rotation with key ids) gets a new prefix. */
const FORMAT = 'cs1';

/**
 * Outside production a service without ATTEST_COLLECTOR_SECRETS_KEY uses this key, derived from a fixed phrase:
 * local runs and tests need no setup, and nothing sealed with it is secret from anyone who reads this file.
 */
export const DEVELOPMENT_COLLECTOR_SECRETS_KEY = createHash('sha256')
  .update('attest development collector secrets key (never for production)')
  .digest();

/** The key collector secrets are sealed under, and whether it is the development key (the caller logs that). */
export interface CollectorSecretsKey {
  key: Buffer;
  development: boolean;
}

/**
 * ATTEST_COLLECTOR_SECRETS_KEY as one of the service's settings (loadServiceConfig reports a bad one with the others):
 * the configured key, or outside production the development key. Production without the variable is a configuration
 * error: a stored configuration's secrets would otherwise be readable by anyone with the source.
 */
export function collectorSecretsKeySetting(nodeEnv = process.env['NODE_ENV']): Setting<CollectorSecretsKey> {
  return {
    env: COLLECTOR_SECRETS_KEY_ENV,
    parse(configured) {
      if (configured) {
        if (!COLLECTOR_SECRETS_KEY_PATTERN.test(configured))
          throw new Error(`${COLLECTOR_SECRETS_KEY_ENV} must be 32 bytes in standard base64`);
        return { key: Buffer.from(configured, 'base64'), development: false };
      }
      if (nodeEnv === 'production') throw new Error(`${COLLECTOR_SECRETS_KEY_ENV} is required in production`);
      return { key: DEVELOPMENT_COLLECTOR_SECRETS_KEY, development: true };
    },
  };
}

/**
 * Seals a configuration's secret values at rest with AES-256-GCM. The tenant and collector are bound to the
 * ciphertext as associated data, so a sealed value copied to another tenant's (or collector's) row does not open.
 */
export class CollectorSecrets {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('a collector secrets key is 32 bytes');
  }

  seal(owner: SecretOwner, secrets: Record<string, unknown>): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(associatedData(owner));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The secret values; throws when the value was sealed for another owner or under another key. */
  open(owner: SecretOwner, sealed: string): Record<string, unknown> {
    const [format, body] = sealed.split('.');
    if (format !== FORMAT || !body) throw new Error(`sealed collector secrets of an unknown format`);
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES))
      .setAAD(associatedData(owner))
      .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  }
}

export interface SecretOwner {
  tenantId: string;
  collectorId: string;
}

function associatedData({ tenantId, collectorId }: SecretOwner): Buffer {
  return Buffer.from(`attest:collector-configuration:${tenantId}:${collectorId}`, 'utf8');
}
