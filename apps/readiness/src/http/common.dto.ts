import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUrl, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { TextField } from '@attest/service-kit';
import { EVIDENCE_REFERENCE_KINDS } from '@attest/readiness-domain';

/** A calendar day, YYYY-MM-DD, that exists. */
export function IsCalendarDay(): PropertyDecorator {
  return (target, key) => {
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${String(key)} must be a date as YYYY-MM-DD` })(target, key);
    IsISO8601({ strict: true }, { message: `${String(key)} must be a date that exists` })(target, key);
  };
}

export class EvidenceReferenceDto {
  @ApiProperty({ enum: EVIDENCE_REFERENCE_KINDS })
  @IsIn(EVIDENCE_REFERENCE_KINDS)
  kind!: (typeof EVIDENCE_REFERENCE_KINDS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Required when kind is evidence-item.' })
  @ValidateIf((o: EvidenceReferenceDto) => o.kind === 'evidence-item' || o.evidenceId !== undefined)
  @IsUUID('all')
  evidenceId?: string;

  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @IsOptional()
  @IsUrl({ require_protocol: true, require_tld: false })
  @MaxLength(2000)
  uri?: string;

  @TextField(300)
  title!: string;
}

export const UUID_PATH = { format: 'uuid' } as const;

export class IdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id!: string;
}
