import { Body, Controller, Get, Inject, Param, Put, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { assessmentNotFound } from '@attest/readiness-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  ApiProblems,
  CLOCK,
  CommandContextOf,
  decodeCursor,
  IfMatchVersion,
  PageQueryDto,
  pageOf,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { assessmentAggregate } from '../event-flow/readiness-aggregates';
import {
  isRevisionKey,
  SystemDescriptionQueries,
  type SystemDescriptionRevisionRow,
} from '../read-model/system-description-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { ReviseSystemDescriptionDto } from './system-description.dto';
import { SystemDescriptionRevisionView } from './system-description.views';

/** An assessment's system description (section 3 of the report): the current revision, its revisions, revising it. */
@ApiTags('assessments')
@Controller('assessments')
export class SystemDescriptionController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: SystemDescriptionQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/system-description')
  @RequirePermission('assessments:read')
  @ApiEntityTag()
  @ApiDomainErrors('assessment-not-found')
  @ApiOperation({
    summary: 'The current system description of an assessment, with its revision',
    description: 'Its ETag is the version of the assessment: send it as If-Match to revise the description.',
  })
  @ApiOkResponse({ type: SystemDescriptionRevisionView })
  async get(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
  ): Promise<Representation<SystemDescriptionRevisionView>> {
    const current = await this.queries.current(tenantId, params.id);
    if (!current) throw assessmentNotFound(params.id);
    return withEntityTag(revisionView(current.revision), current.version);
  }

  @Put(':id/system-description')
  @RequirePermission('assessments:write')
  @ApiEntityTag()
  @ApiDomainErrors('assessment-not-found', 'system-description-invalid', 'change-summary-required')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Revise the system description',
    description:
      'Replaces the whole description; each change is a new revision (the description the assessment started ' +
      'with is revision 0), kept in the revisions list. The same description again changes nothing. Allowed ' +
      "after completion too: a completed assessment's scores and conclusions stay as they were. A description " +
      'that breaks the rules (criteria unknown or out of scope, blank reasons, repeated ids, a carve-out without ' +
      'CSOCs) is refused with every problem in details.problems. If-Match and the ETag answered are versions of ' +
      'the assessment.',
  })
  @ApiOkResponse({ type: SystemDescriptionRevisionView })
  async revise(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: ReviseSystemDescriptionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<SystemDescriptionRevisionView>> {
    const dto = plain(body);
    const { version } = await this.pipeline.run(
      assessmentAggregate,
      context,
      {
        type: 'ReviseSystemDescription',
        assessmentId: params.id,
        systemDescription: dto.systemDescription,
        changeSummary: dto.changeSummary,
        revisedAt: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    const current = await this.queries.current(context.tenantId, params.id);
    if (!current) throw assessmentNotFound(params.id);
    return withEntityTag(revisionView(current.revision), version);
  }

  @Get(':id/system-description/revisions')
  @RequirePermission('assessments:read')
  @ApiDomainErrors('assessment-not-found')
  @ApiOperation({ summary: 'The revisions of the system description, newest first (revision 0 last)' })
  @ApiPageResponse(SystemDescriptionRevisionView)
  async revisions(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<SystemDescriptionRevisionView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRevisionKey);
    const rows = await this.queries.revisions(tenantId, params.id, { after, limit: query.limit + 1 });
    if (!rows) throw assessmentNotFound(params.id);
    return pageOf(rows.map(revisionView), query.limit, (r) => [r.revision], request);
  }
}

function revisionView(row: SystemDescriptionRevisionRow): SystemDescriptionRevisionView {
  return { ...row } as SystemDescriptionRevisionView;
}
