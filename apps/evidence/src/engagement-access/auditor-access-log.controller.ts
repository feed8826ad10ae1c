import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiPageResponse,
  AUDITOR_ACCESS_SCHEMA,
  AuditorAccessLog,
  auditorAccessSortKey,
  decodeCursor,
  isAuditorAccessSortKey,
  OptionalUuidField,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  type AuditorAccess,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';

export class AuditorAccessLogQuery extends PageQueryDto {
  @OptionalUuidField({ description: 'Only requests made through this engagement’s grant.' })
  engagementId?: string;
}

/** What auditors did with the tenant's evidence, for the company to review. */
@ApiTags('auditor-access-log')
@Controller('auditor-access-log')
export class AuditorAccessLogController {
  constructor(private readonly log: AuditorAccessLog) {}

  @Get()
  @RequirePermission('engagements:review-access')
  @ApiOperation({
    summary:
      "Every request an auditor made to the tenant's evidence through an engagement grant, newest first",
    description:
      'Reads and refused attempts alike (method, route, path, status, when, who), recorded once each answer is sent.',
  })
  @ApiPageResponse(AUDITOR_ACCESS_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: AuditorAccessLogQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<AuditorAccess>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isAuditorAccessSortKey);
    const rows = await this.log.list(
      tenant,
      query.engagementId === undefined ? {} : { engagementId: query.engagementId },
      { after, limit: query.limit + 1 },
    );
    return pageOf(rows, query.limit, auditorAccessSortKey, request);
  }
}
