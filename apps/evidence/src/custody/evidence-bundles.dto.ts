import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { ClosedDto, Omittable, OptionalTextListField, OptionalUuidListField } from '@attest/service-kit';

const CRITERION_IDS = attestCatalog.criteria.map((c) => c.id);
/** Bounds that keep the bundle's event well below the event store's payload limits. */
const MAX_SELECTORS = 500;

/**
 * What a bundle holds: the current version of every item named, and of every item (not disposed of) linked to one
 * of the controls, supporting one of the criteria or carrying one of the tags — the union of all parts given.
 */
@ClosedDto()
export class IssueEvidenceBundleDto {
  @OptionalUuidListField({ description: 'Evidence items, each by id.' })
  @ArrayMaxSize(MAX_SELECTORS)
  itemIds?: string[];

  @OptionalUuidListField({ description: "The tenant's controls: every item linked to one of them." })
  @ArrayMaxSize(MAX_SELECTORS)
  controlIds?: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: CRITERION_IDS },
    uniqueItems: true,
    description: 'Trust Services Criteria: every item supporting one of them.',
    example: ['CC6.1'],
  })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(CRITERION_IDS, { each: true })
  criteria?: string[];

  @OptionalTextListField(64, {
    maxItems: MAX_SELECTORS,
    uniqueItems: true,
    description: 'Every item carrying one of these tags.',
  })
  @ArrayUnique()
  @ArrayMaxSize(MAX_SELECTORS)
  tags?: string[];
}
