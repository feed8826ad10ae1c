import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORY_IDS } from '@attest/catalog';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, Matches } from 'class-validator';
import { ClosedDto, OptionalTextField } from '@attest/service-kit';
import {
  CATALOG_CONTROL_ID,
  GivenExactlyWhen,
  itemsMatching,
  NotBlankTextField,
  OptionalVersionField,
  POINT_OF_FOCUS_REF,
  UuidField,
  VersionField,
} from './common.dto';

@ClosedDto()
export class CreateControlSetDto {
  @ApiProperty({
    description: 'Trust Services categories in scope; security (the common criteria) is always included.',
    type: 'array',
    items: { type: 'string', enum: [...CATEGORY_IDS] },
    maxItems: 5,
    example: ['availability', 'confidentiality'],
  })
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CATEGORY_IDS, { each: true })
  categories!: string[];

  @OptionalVersionField({
    description: 'Catalog version; default the newest the service knows.',
    example: '1.0.0',
  })
  catalogVersion?: string;

  @OptionalTextField(200, { default: 'SOC 2 control set' })
  name?: string;
}

const ADOPTION_MODES = ['scope', 'picked'] as const;

@ClosedDto({
  description: '`catalogControlIds` is required with mode `picked` and not allowed with mode `scope`.',
  oneOf: [
    { properties: { mode: { enum: ['scope'] } }, not: { required: ['catalogControlIds'] } },
    { properties: { mode: { enum: ['picked'] } }, required: ['catalogControlIds'] },
  ],
})
export class AdoptControlsDto {
  @ApiProperty({
    enum: ADOPTION_MODES,
    description:
      '`scope`: every catalog control mapped to a criterion in scope and not adopted yet; `picked`: the given ids.',
  })
  @IsIn(ADOPTION_MODES)
  mode!: (typeof ADOPTION_MODES)[number];

  @ApiPropertyOptional({
    description: 'With `picked` (required then, and only then): catalog control ids.',
    type: 'array',
    items: itemsMatching(CATALOG_CONTROL_ID),
    minItems: 1,
    maxItems: 500,
    example: ['AC-01', 'AC-03'],
  })
  @GivenExactlyWhen((o: AdoptControlsDto) => o.mode === 'picked', 'with mode picked')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(CATALOG_CONTROL_ID, { each: true, message: 'each catalog control id must look like AC-01' })
  catalogControlIds?: string[];
}

@ClosedDto()
export class UpgradeControlSetDto {
  @VersionField({ example: '1.1.0', description: 'The catalog version to move to; must be newer and known.' })
  toVersion!: string;
}

export class UpgradeDiffQuery {
  @OptionalVersionField({
    example: '1.1.0',
    description: 'Target version; default the newest the service knows.',
  })
  to?: string;
}

/** A point of focus of the control set's scope. */
export class PointOfFocusParams {
  @UuidField()
  id!: string;

  @ApiProperty({ pattern: POINT_OF_FOCUS_REF.source, example: 'CC6.4.2' })
  @Matches(POINT_OF_FOCUS_REF, { message: 'ref must be a point of focus like CC6.4.2' })
  ref!: string;
}

@ClosedDto()
export class PointOfFocusNotApplicableDto {
  @NotBlankTextField(4000, {
    description: 'Why the point of focus does not apply to the system (auditors read it).',
  })
  justification!: string;
}
