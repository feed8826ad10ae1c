import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { HEALTHS, OUTCOMES, type Health, type Outcome } from '@attest/monitoring-domain';
import { AsOfQueryDto, DateField, PageQueryDto, UuidField } from '@attest/service-kit';

const CRITERION_IDS = attestCatalog.criteria.map((c) => c.id);

/** A list that can answer as of a past moment: the page's parameters and `asOf`. */
class PagedAsOfQuery extends IntersectionType(PageQueryDto, AsOfQueryDto) {}

export class ResultsQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: OUTCOMES,
    description: 'Only resources whose latest result has this outcome.',
  })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;
}

/**
 * Control characters: C0, DEL and C1 (Unicode category Cc). A resource id has none, and the document says so with
 * the same class (ECMA-262 and Python regexes alike read `\uXXXX`, so the fuzzer generates what this accepts).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly the ones refused
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]+$/;

/**
 * A collector's resource id (an ARN, a host:port, owner/repo...): URL-encode it in the path, `/` as `%2F`. Any
 * text of 1 to 512 characters without control characters.
 */
export class ResourceParams {
  @ApiProperty({
    minLength: 1,
    maxLength: 512,
    pattern: NO_CONTROL_CHARACTERS.source,
    example: 'db.internal:5432',
    description: 'No control characters (U+0000-U+001F, U+007F-U+009F).',
  })
  @IsString()
  @Length(1, 512)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'resourceId must not contain control characters' })
  resourceId!: string;
}

/** The days a pass rate is over: `to` before `from` is refused with 422 `invalid-period` (a rule across both). */
export class PeriodQuery {
  @DateField({ description: 'The first day of the period (UTC).', example: '2026-01-01' })
  from!: string;

  @DateField({ description: 'The last day of the period (UTC), on or after `from`.', example: '2026-03-31' })
  to!: string;
}

export class StatusQuery extends PagedAsOfQuery {}

export class ControlHealthQuery extends PagedAsOfQuery {
  @ApiPropertyOptional({ enum: HEALTHS, description: 'Only controls of this health.' })
  @IsOptional()
  @IsIn(HEALTHS)
  health?: Health;

  @ApiPropertyOptional({ enum: CRITERION_IDS, description: 'Only controls mapped to this criterion.' })
  @IsOptional()
  @IsIn(CRITERION_IDS)
  criterion?: string;
}

/** The control and the days whose activity is asked for. */
export class ControlActivityQuery extends PeriodQuery {
  @UuidField({ description: "The tenant's control." })
  controlId!: string;
}

export class ControlParams {
  @UuidField({ description: "The tenant's control." })
  controlId!: string;
}
