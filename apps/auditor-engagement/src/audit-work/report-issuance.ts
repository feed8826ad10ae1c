import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, projectionReadModels, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import type { AuditReportModel } from '@attest/audit-report';
import { addDays, REPORT_FORMATS, type IssuedFile, type ReportFormat } from '@attest/engagement-domain';
import { withStoreTransaction } from '@attest/event-store';
import { CLOCK, type Clock } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';
import { renderBridgeLetter, renderReport } from './audit-report-rendering';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import { EngagementFiles, type StoredFile } from './engagement-files';
import { actorName, ReportModelBuilder } from './report-model-builder';

export function reportNotIssued(engagementId: string): DomainError {
  return new DomainError('report-not-issued', `engagement ${engagementId} has no issued report yet`, {
    engagementId,
  });
}

/** A report states the controls tested: an engagement without any has nothing to draft or issue. */
function reportable(model: AuditReportModel, engagementId: string): AuditReportModel {
  if (model.controls.length === 0)
    throw new DomainError('scope-empty', `engagement ${engagementId} has no controls in scope to report on`, {
      engagementId,
    });
  return model;
}

export function bridgeLetterNotFound(letterId: string): DomainError {
  return new DomainError('bridge-letter-not-found', `the engagement has no bridge letter ${letterId}`, {
    letterId,
  });
}

/**
 * The report: a draft rendered on request from the read model as it is, and the issue, which renders every format
 * once, stores the bytes in `engagement_files` and records `ReportIssued` (with each file's SHA-256; the engagement
 * moves to issued) in one transaction, so an issued file is served exactly as its hash says. After a Type II
 * report, management's bridge letters cover the days after the window.
 */
@Injectable()
export class ReportIssuance {
  constructor(
    @Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly engagements: AuditWorkEngagements,
    private readonly builder: ReportModelBuilder,
    private readonly readModel: AuditWorkReadModel,
    private readonly files: EngagementFiles,
    private readonly projections: ProjectionLifecycle,
  ) {}

  async draft(tenantId: string, engagementId: string, format: ReportFormat): Promise<StoredFile> {
    const engagement = await this.engagements.of(tenantId, engagementId);
    return renderReport(reportable(await this.builder.report(tenantId, engagement), engagementId), format);
  }

  async issue(
    context: CommandContext,
    engagementId: string,
  ): Promise<{ reportId: string; files: IssuedFile[] }> {
    const { tenantId } = context;
    const engagement = await this.engagements.of(tenantId, engagementId);
    const at = this.clock.now().toISOString();
    // The issued report shows the engagement as issued (the status the event moves it to).
    const model = reportable(
      await this.builder.report(tenantId, { ...engagement, status: 'issued' }),
      engagementId,
    );
    const rendered = await Promise.all(
      REPORT_FORMATS.map(async (format) => ({ format, file: await renderReport(model, format) })),
    );
    const reportId = randomUUID();
    const files: IssuedFile[] = rendered.map(({ format, file }) => ({
      format,
      sha256: file.sha256,
      bytes: file.body.length,
    }));
    const events = await withStoreTransaction(this.options.pool, async (tx) => {
      const issued = await this.pipeline.run(
        this.aggregates.engagement,
        context,
        { type: 'IssueReport', engagementId, reportId, files, at, actor: context.actor },
        { tx },
      );
      for (const { format, file } of rendered)
        await this.files.put(tx, { tenantId, engagementId, documentId: reportId, format }, file);
      return issued.events;
    });
    await projectionReadModels(this.projections.runners).catchUpTo(events[events.length - 1].position);
    return { reportId, files };
  }

  async issuedFile(tenantId: string, engagementId: string, format: ReportFormat): Promise<StoredFile> {
    const { reportId } = await this.engagements.of(tenantId, engagementId);
    if (reportId === undefined) throw reportNotIssued(engagementId);
    const file = await this.files.get({ tenantId, engagementId, documentId: reportId, format });
    if (!file) throw reportNotIssued(engagementId);
    return file;
  }

  /** Management's letter for the days after the window, up to `coversTo`, signed by the caller. */
  async bridgeLetter(context: CommandContext, engagementId: string, coversTo: string): Promise<string> {
    const { tenantId } = context;
    const engagement = await this.engagements.of(tenantId, engagementId);
    const coversFrom = engagement.window ? addDays(engagement.window.to, 1) : coversTo;
    const at = this.clock.now().toISOString();
    const letterId = randomUUID();
    const model = await this.builder.bridgeLetter(tenantId, engagement, {
      coversFrom,
      coversTo,
      issuedAt: at,
      signatory: actorName(context.actor),
    });
    const { pdf, html } = await renderBridgeLetter(model, letterId);
    const events = await withStoreTransaction(this.options.pool, async (tx) => {
      const issued = await this.pipeline.run(
        this.aggregates.engagement,
        context,
        {
          type: 'IssueBridgeLetter',
          engagementId,
          letterId,
          coversTo,
          sha256: pdf.sha256,
          at,
          actor: context.actor,
        },
        { tx },
      );
      await this.files.put(tx, { tenantId, engagementId, documentId: letterId, format: 'pdf' }, pdf);
      await this.files.put(tx, { tenantId, engagementId, documentId: letterId, format: 'html' }, html);
      return issued.events;
    });
    await projectionReadModels(this.projections.runners).catchUpTo(events[events.length - 1].position);
    return letterId;
  }

  async letterFile(
    tenantId: string,
    engagementId: string,
    letterId: string,
    format: 'pdf' | 'html',
  ): Promise<StoredFile> {
    await this.engagements.of(tenantId, engagementId);
    const letter = await this.readModel.bridgeLetter(tenantId, engagementId, letterId);
    const file = letter && (await this.files.get({ tenantId, engagementId, documentId: letterId, format }));
    if (!file) throw bridgeLetterNotFound(letterId);
    return file;
  }
}
