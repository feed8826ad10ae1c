import {
  Controller,
  Get,
  Header,
  Inject,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import {
  CHAIN_SIGNING_KEYS_ENV,
  chainCheckpointIntervalMs,
  ChainCheckpointer,
  ChainCheckpointSchedule,
  type ChainSigningKeys,
  type PostgresEventStore,
} from '@attest/event-store';
import { PublicRoute } from './identity/route-access';

/** The service's checkpoint signing keys (`loadChainSigningKeys()`); null: it signs no checkpoints. */
export const CHAIN_SIGNING_KEYS = Symbol('ChainSigningKeys');

export class ChainPublicKeyView {
  @ApiProperty({ enum: ['OKP'] })
  kty!: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] })
  crv!: 'Ed25519';
  @ApiProperty({ description: 'The public key, base64url (RFC 8037).' })
  x!: string;
  @ApiProperty({ description: 'The key id a checkpoint names in `keyId`.' })
  kid!: string;
  @ApiProperty({ enum: ['EdDSA'] })
  alg!: 'EdDSA';
  @ApiProperty({ enum: ['sig'] })
  use!: 'sig';
}

export class ChainPublicKeysView {
  @ApiProperty({ type: [ChainPublicKeyView] })
  keys!: ChainPublicKeyView[];
}

/**
 * The public keys that verify the service's signed chain checkpoints (`*.chain-checkpoint-signed.v1` events), so an
 * integrator can check a chain read from Kafka offline (docs/events/README.md, "Verifying a chain"). Public: keys
 * that only verify are no secret, and a verifier may hold no Attest credentials.
 */
@ApiTags('event-chain')
@PublicRoute()
@Controller('event-chain')
export class EventChainController {
  constructor(@Inject(CHAIN_SIGNING_KEYS) private readonly signingKeys: ChainSigningKeys | null) {}

  @Get('keys')
  @ApiOperation({
    summary: "The Ed25519 public keys (a JWKS) that verify this service's event chain checkpoints",
  })
  @ApiOkResponse({ type: ChainPublicKeysView })
  keys(): ChainPublicKeysView {
    return this.signingKeys?.jwks() ?? { keys: [] };
  }
}

/**
 * The same public keys at a well-known URI outside the API version (`/.well-known/attest/signing-keys`), where a
 * verifier of a service's signed documents (an evidence bundle's DSSE envelope) looks them up: active and retired
 * keys, so anything signed before a rotation still verifies. Cacheable for five minutes: a verifier that meets a key
 * id it does not know fetches the set again.
 */
@ApiTags('event-chain')
@PublicRoute()
@Controller('.well-known/attest')
export class SigningKeysController {
  constructor(@Inject(CHAIN_SIGNING_KEYS) private readonly signingKeys: ChainSigningKeys | null) {}

  @Get('signing-keys')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: "The Ed25519 public keys (a JWKS, active and retired) that verify this service's signatures",
  })
  @ApiOkResponse({ type: ChainPublicKeysView })
  keys(): ChainPublicKeysView {
    return this.signingKeys?.jwks() ?? { keys: [] };
  }
}

/**
 * Signs a checkpoint of every tenant whose chain moved, on a schedule (`ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS`,
 * default 5 minutes), while the application runs. Without signing keys it signs nothing and says so once.
 */
export class ChainCheckpointing implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChainCheckpointing');
  private readonly schedule: ChainCheckpointSchedule | null;

  constructor(
    pool: Pool,
    store: PostgresEventStore,
    keys: ChainSigningKeys | null,
    intervalMs = chainCheckpointIntervalMs(),
  ) {
    this.schedule = keys
      ? new ChainCheckpointSchedule(new ChainCheckpointer(pool, store, keys), intervalMs, (err) =>
          this.logger.error({
            message: 'chain checkpoint run failed; the next run tries again',
            error: String(err),
          }),
        )
      : null;
  }

  onApplicationBootstrap(): void {
    if (this.schedule) this.schedule.start();
    else
      this.logger.warn(`no chain signing keys (${CHAIN_SIGNING_KEYS_ENV}): no chain checkpoints are signed`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.schedule?.stop();
  }
}
