import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import { evidenceItemNotFound } from '@attest/evidence-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ClosedDto,
  CommandContextOf,
  IfMatchVersion,
  NotBlankTextField,
  RequirePermission,
  UuidParams,
  withEntityTag,
  type Representation,
} from '@attest/service-kit';
import { EVIDENCE_ITEM_SCHEMA } from '../http/evidence-schemas';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import type { EvidenceItemView } from '../read-model/evidence-views';
import { EvidenceRetention } from './evidence-retention';

@ClosedDto()
export class RetentionDecisionDto {
  @NotBlankTextField(2000, {
    description: 'Why the item is disposed of (recorded in the chain; auditors read it).',
    example: 'Retention period over; the system it documents was decommissioned in 2019.',
  })
  reason!: string;
}

@ApiTags('evidence-items')
@Controller('evidence-items')
export class EvidenceRetentionController {
  constructor(
    private readonly retention: EvidenceRetention,
    private readonly readModel: EvidenceReadModel,
  ) {}

  @Post(':id/retention-decisions')
  @HttpCode(200)
  @RequirePermission('evidence:retain')
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Dispose of an item whose retention period is over.',
    description:
      'Records the decision (with the SHA-256 of every version, which stay in the hash chain) and deletes the ' +
      'content from storage unless another item holds the same bytes. Refused before `retention.endsOn` of the ' +
      'item (409 `retention-period-not-over`, with the date) and for an item already disposed of. Downloads of its ' +
      'versions answer 410 afterwards.',
  })
  @ApiOkResponse({ schema: EVIDENCE_ITEM_SCHEMA, description: 'The item, disposed of.' })
  @ApiDomainErrors('evidence-item-not-found', 'retention-period-not-over', 'evidence-item-disposed')
  async decide(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: RetentionDecisionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<EvidenceItemView>> {
    const version = await this.retention.dispose(context, params.id, body.reason, expectedVersion);
    const item = await this.readModel.item(context.tenantId, params.id);
    // The pipeline waited for the read model to include the decision: the item is there unless it never was.
    if (!item) throw evidenceItemNotFound(params.id);
    return withEntityTag(item, version);
  }
}
