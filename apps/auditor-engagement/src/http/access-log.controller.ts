import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiDomainErrors,
  ApiPageResponse,
  AUDITOR_ACCESS_SCHEMA,
  AuditorAccessLog,
  auditorAccessSortKey,
  decodeCursor,
  isAuditorAccessSortKey,
  PageQueryDto,
  pageOf,
  RequirePermission,
  Tenant,
  type AuditorAccess,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import { engagementNotFound } from '@attest/engagement-domain';
import { EngagementReadModel } from '../read-model/engagement-read-model';
import { EngagementParams } from './engagement-dtos';

/** The auditor access log: every request the firm's auditors made through the engagement, for the company. */
@ApiTags('engagements')
@Controller('engagements/:engagementId/access-log')
export class AccessLogController {
  constructor(
    private readonly log: AuditorAccessLog,
    private readonly readModel: EngagementReadModel,
  ) {}

  @Get()
  @RequirePermission('engagements:review-access')
  @ApiOperation({
    summary:
      "Every request the engagement's auditors made (reads and writes, answered or refused), newest first.",
  })
  @ApiPageResponse(AUDITOR_ACCESS_SCHEMA)
  @ApiDomainErrors('engagement-not-found')
  async list(
    @Tenant() tenant: string,
    @Param() params: EngagementParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<AuditorAccess>> {
    // Another tenant's (or no) engagement is not found, as on every engagement route: an empty log would not say so.
    if (!(await this.readModel.engagement(tenant, params.engagementId)))
      throw engagementNotFound(params.engagementId);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isAuditorAccessSortKey);
    const rows = await this.log.list(
      tenant,
      { engagementId: params.engagementId },
      { after, limit: query.limit + 1 },
    );
    return pageOf(rows, query.limit, auditorAccessSortKey, request);
  }
}
