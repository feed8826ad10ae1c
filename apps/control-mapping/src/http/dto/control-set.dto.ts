import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORY_IDS } from '@attest/catalog';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, Matches } from 'class-validator';
import { OptionalTextField } from '@attest/service-kit';
import { CATALOG_CONTROL_ID, SEMVER } from './common.dto';

export class CreateControlSetDto {
  @ApiProperty({
    description: 'Trust Services categories in scope; security (the common criteria) is always included.',
    enum: CATEGORY_IDS,
    isArray: true,
    example: ['availability', 'confidentiality'],
  })
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CATEGORY_IDS, { each: true })
  categories!: string[];

  @ApiPropertyOptional({
    description: 'Catalog version; default the newest the service knows.',
    example: '1.0.0',
  })
  @IsOptional()
  @Matches(SEMVER, { message: 'catalogVersion must be a version MAJOR.MINOR.PATCH' })
  catalogVersion?: string;

  @OptionalTextField(200, { default: 'SOC 2 control set' })
  name?: string;
}

export class AdoptControlsDto {
  @ApiProperty({
    enum: ['scope', 'picked'],
    description:
      '`scope`: every catalog control mapped to a criterion in scope and not adopted yet; `picked`: the given ids.',
  })
  @IsIn(['scope', 'picked'])
  mode!: 'scope' | 'picked';

  @ApiPropertyOptional({
    description: 'With `picked` (required then, and only then): catalog control ids.',
    type: [String],
    example: ['AC-01', 'AC-03'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(CATALOG_CONTROL_ID, { each: true, message: 'each catalog control id must look like AC-01' })
  catalogControlIds?: string[];
}

export class UpgradeControlSetDto {
  @ApiProperty({ example: '1.1.0', description: 'The catalog version to move to; must be newer and known.' })
  @Matches(SEMVER, { message: 'toVersion must be a version MAJOR.MINOR.PATCH' })
  toVersion!: string;
}

export class UpgradeDiffQuery {
  @ApiPropertyOptional({
    example: '1.1.0',
    description: 'Target version; default the newest the service knows.',
  })
  @IsOptional()
  @Matches(SEMVER, { message: 'to must be a version MAJOR.MINOR.PATCH' })
  to?: string;
}
