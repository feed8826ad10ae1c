import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Matches } from 'class-validator';
import type { CommandContext } from '@attest/command-pipeline';
import { SEALED_FIELD_SCHEMA, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { ClosedDto, TextField } from './dto-fields';
import { CommandContextOf } from './identity/command-context';
import { RequirePermission } from './identity/route-access';
import { Tenant } from './tenant';

/** What a service does for the personal-data routes: its event store's vault and read models. */
export interface PersonalDataService {
  /** Forgets a person of the tenant (keys, then read models) and records who asked. */
  erase(tenantId: string, subjectId: string, erasedBy: string): Promise<ErasureView>;
  resolve(tenantId: string, tokens: readonly string[]): Promise<ResolutionView[]>;
}

export const PERSONAL_DATA_SERVICE = Symbol('PersonalDataService');

@ClosedDto()
export class ErasureRequestDto {
  @TextField(255, {
    description:
      'The person to forget: the `personId` of the people directory, or the id an `actor` carries (a user id).',
    example: '3e5a7c9b-1d2f-4b4a-8c6e-0f2a4c6e8b1d',
  })
  subjectId!: string;
}

export class ErasureView {
  @ApiProperty({ format: 'uuid' })
  erasureId!: string;
  @ApiProperty({ description: 'The person forgotten.' })
  subjectId!: string;
  @ApiProperty({ description: 'Who asked for it: `user:<id>` or `system:<client id>`.' })
  erasedBy!: string;
  @ApiProperty({ format: 'date-time' })
  erasedAt!: string;
  @ApiProperty({
    description:
      'Keys of the person deleted; 0 when nothing was sealed for them or they were forgotten already.',
    minimum: 0,
  })
  keysErased!: number;
}

@ClosedDto()
export class ResolutionRequestDto {
  @ApiProperty({
    type: 'array',
    items: { ...SEALED_FIELD_SCHEMA },
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Sealed values (`pd1.` tokens) from published events of this tenant.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SEALED_TOKEN_PATTERN, { each: true, message: 'each value in $property must be a pd1 token' })
  tokens!: string[];
}

export class ResolutionView {
  @ApiProperty()
  token!: string;
  @ApiProperty({
    description:
      'True when the value can no longer be read: its person was forgotten (or the token is not one of this tenant).',
  })
  erased!: boolean;
  @ApiPropertyOptional({ description: 'The value (absent when erased).' })
  value?: string;
  @ApiPropertyOptional({
    description: 'The payload field it was sealed for, a JSON pointer (absent when erased).',
  })
  field?: string;
}

export class ResolutionsView {
  @ApiProperty({ type: [ResolutionView], description: 'One per token, in the order asked.' })
  resolutions!: ResolutionView[];
}

/**
 * Personal data in the service's events (docs/events/README.md, "Personal data and erasure"): forget a person, and
 * resolve sealed values read from Kafka. Both act on the caller's tenant only and change no event.
 */
@ApiTags('personal-data')
@Controller('personal-data')
export class PersonalDataController {
  constructor(@Inject(PERSONAL_DATA_SERVICE) private readonly service: PersonalDataService) {}

  @Post('erasures')
  @HttpCode(200) // an action: it deletes keys; the record it answers has no URL of its own
  @RequirePermission('personal-data:erase')
  @ApiOperation({
    summary:
      "Forget a person: delete their keys, so every sealed value about them reads `[erased]` (events, read models, resolutions); the events and the tenant's hash chain stay as they are",
  })
  @ApiOkResponse({ type: ErasureView })
  async erase(
    @CommandContextOf() context: CommandContext,
    @Body() body: ErasureRequestDto,
  ): Promise<ErasureView> {
    return this.service.erase(context.tenantId, body.subjectId, context.actorId);
  }

  @Post('resolutions')
  @HttpCode(200) // a read with a body: creates nothing
  @RequirePermission('personal-data:resolve')
  @ApiOperation({ summary: 'Resolve sealed values of published events: each value, or `erased`' })
  @ApiOkResponse({ type: ResolutionsView })
  async resolve(@Tenant() tenantId: string, @Body() body: ResolutionRequestDto): Promise<ResolutionsView> {
    return { resolutions: await this.service.resolve(tenantId, body.tokens) };
  }
}
