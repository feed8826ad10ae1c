import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { SEVERITIES, TEST_ID_PATTERN, type Severity } from '@attest/monitoring-domain';
import {
  ClosedDto,
  NestedField,
  NotBlankTextField,
  Omittable,
  OptionalTextField,
  OptionalUuidField,
  PageQueryDto,
  UuidListField,
} from '@attest/service-kit';
import type { TestView } from '../read-model/monitoring-views';

/** A test id: kebab-case, 3 to 80 characters (shipped tests' ids are the same for every tenant). */
export function TestIdField(docs: { description?: string; example?: string; optional?: boolean } = {}) {
  const { optional, ...rest } = docs;
  const property = { pattern: TEST_ID_PATTERN.source, minLength: 3, maxLength: 80, ...rest };
  return applyDecorators(
    ...(optional ? [ApiPropertyOptional(property), IsOptional()] : [ApiProperty(property)]),
    IsString(),
    Length(3, 80),
    Matches(TEST_ID_PATTERN, { message: '$property must be kebab-case' }),
  );
}
/** A collector's resource type, e.g. `postgresql.server` or `github.repository`. */
const RESOURCE_TYPE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/**
 * Room for an expression well over the policy engine's own limit (4096 characters), so an expression a little too
 * long gets the engine's explanation (422 invalid-test) rather than a bare length error.
 */
const MAX_EXPRESSION = 16_384;
const CATALOG_CONTROL_IDS = attestCatalog.controls.map((c) => c.id);
const CATALOG_TEST_IDS = [...new Set(attestCatalog.controls.flatMap((c) => c.automatedTests))];
const ORIGINS: readonly TestView['origin'][] = ['shipped', 'custom'];

@ClosedDto()
export class TestControlsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: CATALOG_CONTROL_IDS },
    uniqueItems: true,
    maxItems: 50,
    description: "Catalog controls the test proves: each counts for the tenant's control adopted from it.",
    example: ['LM-01'],
  })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsIn(CATALOG_CONTROL_IDS, { each: true })
  catalogControlIds!: string[];

  @UuidListField({
    maxItems: 50,
    uniqueItems: true,
    description: "The tenant's own controls the test proves.",
  })
  @ArrayUnique()
  @ArrayMaxSize(50)
  controlIds!: string[];
}

/** What a test says, without its id: the body of a change, and (with the id) of a new test. */
@ClosedDto()
export class TestBodyDto {
  @NotBlankTextField(200, { example: 'PostgreSQL logs connections' })
  title!: string;

  @NotBlankTextField(4000)
  description!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: RESOURCE_TYPE.source },
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
    description: 'The resource types the test reads; facts of other types are not evaluated.',
    example: ['postgresql.server'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(RESOURCE_TYPE, { each: true })
  factTypes!: string[];

  @OptionalTextField(MAX_EXPRESSION, {
    description: 'CEL, a bool over `resource`: false means the test does not apply (not-applicable).',
    example: "resource.attributes.engine == 'postgresql'",
  })
  applies?: string;

  @NotBlankTextField(MAX_EXPRESSION, {
    description: 'CEL, a bool over `resource` (`{ resourceType, resourceId, attributes }`): true means pass.',
    example: 'resource.attributes.postgresql.server.logConnections == true',
  })
  condition!: string;

  @OptionalTextField(MAX_EXPRESSION, {
    description: 'CEL: its value is recorded with a fail (what the resource had instead).',
  })
  details?: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @NestedField(TestControlsDto)
  controls!: TestControlsDto;

  @ApiPropertyOptional({
    enum: CATALOG_TEST_IDS,
    description: "The catalog's automated test the test implements.",
  })
  @Omittable()
  @IsIn(CATALOG_TEST_IDS)
  catalogTestId?: string;

  @NotBlankTextField(4000, { description: 'What to do about a failing resource.' })
  remediation!: string;
}

/** A custom test: its id (not a shipped test's) and what it says. */
@ClosedDto()
export class NewTestDto extends TestBodyDto {
  @TestIdField({ example: 'db-log-connections' })
  testId!: string;
}

/** A custom test's new definition. */
@ClosedDto()
export class TestChangeDto extends TestBodyDto {
  @OptionalTextField(2000, { example: 'Also requires log_disconnections' })
  changeSummary?: string;
}

export class TestsQuery extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: RESOURCE_TYPE.source,
    description: 'Only tests reading this resource type.',
  })
  @IsOptional()
  @Matches(RESOURCE_TYPE)
  factType?: string;

  @OptionalUuidField({ description: "Only tests proving this control of the tenant's." })
  controlId?: string;

  @ApiPropertyOptional({
    enum: ORIGINS,
    description: "Only Attest's shipped tests, or only the tenant's own.",
  })
  @IsOptional()
  @IsIn(ORIGINS)
  origin?: TestView['origin'];
}

export class TestIdParams {
  @TestIdField()
  testId!: string;
}
