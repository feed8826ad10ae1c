import { DomainError } from '@attest/decider';

/** Hex SHA-256, as file hashes and population hashes are written. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

// Deliberately loose: the identity provider verified the address; this only refuses what cannot be one.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An auditor's e-mail as the service keeps it: trimmed and lower-cased, so the invitation, the firm's list and the
 * token's verified `email` claim compare equal however each was typed.
 */
export function auditorEmail(value: string): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 254)
    throw new DomainError('invalid-email', `'${value}' is not an e-mail address`, { email: value });
  return email;
}

/** The values once each, in first-seen order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
