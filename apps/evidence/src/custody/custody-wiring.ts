import type { Provider, Type } from '@nestjs/common';
import { SigningKeysController } from '@attest/service-kit';
import { ChainVerificationController, ItemVerificationController } from './custody-verification.controller';
import { CustodyVerification } from './custody-verification';
import { EvidenceBundlesController } from './evidence-bundles.controller';
import { EvidenceBundles } from './evidence-bundles';

/** Chain of custody: signed bundles, the public keys at their well-known URI, verification of chain and items. */
export const CUSTODY_PROVIDERS: Provider[] = [EvidenceBundles, CustodyVerification];
export const CUSTODY_CONTROLLERS: Type<unknown>[] = [
  EvidenceBundlesController,
  ChainVerificationController,
  ItemVerificationController,
  SigningKeysController,
];

/**
 * Custody's refusals beyond the evidence domain's, for the service's problem registry. A service without a signing
 * keyring (ATTEST_CHAIN_SIGNING_KEYS) cannot issue bundles: 409, the service's state forbids it, until one is set.
 */
export const CUSTODY_REFUSALS = {
  'bundle-signing-unavailable': 409,
} as const;
