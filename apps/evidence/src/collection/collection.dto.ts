import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsString, Matches } from 'class-validator';
import { ClosedDto, Omittable } from '@attest/service-kit';

/** A collector id as `@attest/collectors` names them (and the run contracts accept). */
const COLLECTOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `POST /v1/collector-runs`: which collector, with which config. */
@ClosedDto()
export class CollectorRunRequestDto {
  @ApiProperty({
    pattern: COLLECTOR_ID.source,
    description: 'A collector of `GET /v1/collectors`.',
    example: 'postgresql-security',
  })
  @IsString()
  @Matches(COLLECTOR_ID, { message: 'collectorId must be a collector id (lower-case letters, digits, -)' })
  collectorId!: string;

  // The collector's own schema checks the config (422 invalid-collector-config naming each problem).
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description:
      "Valid against the collector's `configSchema`. Secrets in it are used for the run, never recorded.",
    example: { host: 'db.internal', database: 'app', user: 'auditor', password: 's3cret' },
  })
  @Omittable()
  @IsObject()
  config?: Record<string, unknown>;
}

/** A collector named in the path: one of `GET /v1/collectors`. */
export class CollectorIdParams {
  @ApiProperty({ pattern: COLLECTOR_ID.source, example: 'postgresql-security' })
  @IsString()
  @Matches(COLLECTOR_ID, { message: 'collectorId must be a collector id (lower-case letters, digits, -)' })
  collectorId!: string;
}
