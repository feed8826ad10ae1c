import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { matrixOf, riskMatrixIdFor, type RiskMatrixState } from '@attest/readiness-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiProblems,
  CLOCK,
  CommandContextOf,
  IfMatchVersion,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Representation,
} from '@attest/service-kit';
import { loadRiskMatrix, riskMatrixAggregate } from '../event-flow/readiness-aggregates';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { plain } from './plain';
import { ConfigureRiskMatrixDto } from './risk.dto';
import { RiskMatrixView } from './risk-views';

/** The organization's risk matrix (one per organization): its scales and appetite, which every rating uses. */
@ApiTags('risks')
@Controller('risk-matrix')
export class RiskMatrixController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: ReadinessQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('risks:read')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      "The organization's risk matrix: likelihood and impact scales, appetite (the default 5 × 5 until set)",
  })
  @ApiOkResponse({ type: RiskMatrixView })
  async get(@Tenant() tenantId: string): Promise<Representation<RiskMatrixView>> {
    const { state, version } = await loadRiskMatrix(this.pipeline, tenantId);
    return withEntityTag(view(state), version);
  }

  @Put()
  @RequirePermission('risks:approve')
  @ApiDomainErrors('invalid-risk-matrix', 'matrix-excludes-ratings')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Set the risk matrix (management sets the tolerance, CC3.2)',
    description:
      'Scales of 3 to 5 levels; the appetite at most the highest score. A scale cannot shrink below the ratings of ' +
      'open risks (409 matrix-excludes-ratings). The same matrix again changes nothing.',
  })
  @ApiOkResponse({ type: RiskMatrixView })
  async configure(
    @CommandContextOf() context: CommandContext,
    @Body() body: ConfigureRiskMatrixDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskMatrixView>> {
    const { state, version } = await this.pipeline.run(
      riskMatrixAggregate,
      context,
      {
        type: 'ConfigureRiskMatrix',
        matrixId: riskMatrixIdFor(context.tenantId),
        ...plain(body),
        ratingsInUse: await this.queries.ratingsInUse(context.tenantId),
        configuredAt: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(view(state), version);
  }
}

function view(state: RiskMatrixState): RiskMatrixView {
  return {
    ...matrixOf(state),
    configured: state.status === 'configured',
    configuredAt: state.status === 'configured' ? state.configuredAt : null,
  };
}
