import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  apiPath,
  CommandContextOf,
  created,
  fileDownload,
  Idempotent,
  RequirePermission,
  Tenant,
  type DownloadResponse,
  type Representation,
} from '@attest/service-kit';
import {
  BridgeLetterParams,
  EngagementParams,
  NewBridgeLetterDto,
  ReportFileParams,
  ReportQuery,
} from './audit-work.dto';
import { AuditWorkReadModel } from './audit-work-read-model';
import { BRIDGE_LETTER_SCHEMA, FILE_CONTENT, REPORT_ISSUED_SCHEMA } from './audit-work-schemas';
import type { BridgeLetterView } from './audit-work-views';
import type { StoredFile } from './engagement-files';
import { bridgeLetterNotFound, ReportIssuance } from './report-issuance';

/** A rendered or stored file, with `Repr-Digest` of its SHA-256 (for an issued one, the hash its event records). */
function download(response: DownloadResponse, file: StoredFile): StreamableFile {
  return fileDownload(response, { ...file, sizeBytes: file.body.length }, file.body);
}

const PRODUCES = [
  'text/html',
  'application/pdf',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/json',
];

/** The SOC 2 report (drafts rendered on request, the issued one as issued) and management's bridge letters. */
@ApiTags('report')
@Controller('engagements/:engagementId')
export class ReportController {
  constructor(
    private readonly issuance: ReportIssuance,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  @Get('report')
  @RequirePermission('engagements:read')
  @ApiOperation({
    summary: 'The draft report, rendered now from the engagement as it stands.',
    description:
      'html and pdf: sections 1 (opinion placeholder) to 5; csv and xlsx: the control matrix; oscal-ap and ' +
      'oscal-ar: OSCAL 1.2 assessment plan and assessment results.',
  })
  @ApiProduces(...PRODUCES)
  @ApiOkResponse(FILE_CONTENT)
  @ApiDomainErrors('engagement-not-found', 'scope-empty')
  async draft(
    @Tenant() tenant: string,
    @Param() params: EngagementParams,
    @Query() query: ReportQuery,
    @Res({ passthrough: true }) response: DownloadResponse,
  ): Promise<StreamableFile> {
    return download(response, await this.issuance.draft(tenant, params.engagementId, query.format));
  }

  @Post('report/issue')
  @HttpCode(201)
  @RequirePermission('engagements:manage')
  @Idempotent()
  @ApiOperation({
    summary:
      'Issue the report: every format rendered once and kept as issued; the engagement becomes issued.',
    description:
      "From reporting only. The answer (and the ReportIssued event) has each file's SHA-256 and size.",
  })
  @ApiCreatedResponse({ schema: REPORT_ISSUED_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'engagement-not-in-reporting', 'scope-empty')
  async issue(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
  ): Promise<Representation<unknown>> {
    const issued = await this.issuance.issue(context, params.engagementId);
    return created(issued, apiPath('engagements', params.engagementId, 'report', 'issued', 'pdf'));
  }

  @Get('report/issued/:format')
  @RequirePermission('engagements:read')
  @ApiOperation({
    summary: 'The issued report in one format, byte for byte as issued (its SHA-256 in ReportIssued).',
  })
  @ApiProduces(...PRODUCES)
  @ApiOkResponse(FILE_CONTENT)
  @ApiDomainErrors('engagement-not-found', 'report-not-issued')
  async issued(
    @Tenant() tenant: string,
    @Param() params: ReportFileParams,
    @Res({ passthrough: true }) response: DownloadResponse,
  ): Promise<StreamableFile> {
    return download(response, await this.issuance.issuedFile(tenant, params.engagementId, params.format));
  }

  @Post('bridge-letter')
  @RequirePermission('engagements:manage')
  @Idempotent()
  @ApiOperation({
    summary: "Management's bridge letter for the days from the window's end to `coversTo` (Type II, issued).",
  })
  @ApiCreatedResponse({ schema: BRIDGE_LETTER_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'bridge-letter-not-allowed', 'invalid-bridge-period')
  async bridgeLetter(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: NewBridgeLetterDto,
  ): Promise<Representation<BridgeLetterView>> {
    const letterId = await this.issuance.bridgeLetter(context, params.engagementId, body.coversTo);
    const letter = await this.readModel.bridgeLetter(context.tenantId, params.engagementId, letterId);
    if (!letter) throw bridgeLetterNotFound(letterId);
    return created(letter, apiPath('engagements', params.engagementId, 'bridge-letter', `${letterId}.pdf`));
  }

  @Get('bridge-letter/:letterId.:format')
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: 'A bridge letter as issued: pdf (its SHA-256 in BridgeLetterIssued) or html.' })
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse(FILE_CONTENT)
  @ApiDomainErrors('engagement-not-found', 'bridge-letter-not-found')
  async letter(
    @Tenant() tenant: string,
    @Param() params: BridgeLetterParams,
    @Res({ passthrough: true }) response: DownloadResponse,
  ): Promise<StreamableFile> {
    return download(
      response,
      await this.issuance.letterFile(tenant, params.engagementId, params.letterId, params.format),
    );
  }
}
