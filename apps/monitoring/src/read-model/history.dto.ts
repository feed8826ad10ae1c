import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { HEALTHS, OUTCOMES, type Health, type Outcome } from '@attest/monitoring-domain';
import { AsOfQueryDto, DateField, OptionalUuidField, PageQueryDto, UuidField } from '@attest/service-kit';
import { TestIdField } from '../http/tests.dto';

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
 * A collector's resource id (an ARN, a host:port, owner/repo...): URL-encode it in the path, `/` as `%2F`. Any
 * printable text up to 512 characters.
 */
export class ResourceParams {
  @ApiProperty({ minLength: 1, maxLength: 512, example: 'db.internal:5432' })
  @IsString()
  @Length(1, 512)
  @Matches(/^\P{Cc}+$/u, { message: 'resourceId must not contain control characters' })
  resourceId!: string;
}

/**
 * The period of a pass rate, and the test or the control it is of. The rules between fields are checked on the
 * required ones (an absent optional field skips its own checks): exactly one subject, `to` not before `from`.
 */
export class PassRateQuery {
  @TestIdField({ optional: true, description: 'The pass rate of this test (or give controlId).' })
  testId?: string;

  @OptionalUuidField({ description: "The pass rate of the tests proving this control of the tenant's." })
  controlId?: string;

  @DateField({ description: 'The first day of the period (UTC).', example: '2026-01-01' })
  @ValidateBy({
    name: 'oneSubject',
    validator: {
      validate: (_: unknown, args) => {
        const { testId, controlId } = args?.object as PassRateQuery;
        return (testId === undefined) !== (controlId === undefined);
      },
      defaultMessage: () => 'give exactly one of testId and controlId',
    },
  })
  from!: string;

  @DateField({ description: 'The last day of the period (UTC), on or after `from`.', example: '2026-03-31' })
  @ValidateBy({
    name: 'notBeforeFrom',
    validator: {
      validate: (to: unknown, args) => typeof to === 'string' && to >= (args?.object as PassRateQuery).from,
      defaultMessage: () => 'to must be on or after from',
    },
  })
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

export class ControlParams {
  @UuidField({ description: "The tenant's control." })
  controlId!: string;
}
