import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { alertNotFound } from '@attest/monitoring-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  CLOCK,
  CommandContextOf,
  decodeCursor,
  IfMatchVersion,
  pageOf,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MonitoringReadModel } from '../read-model/monitoring-read-model';
import { alertSortKey, isAlertSortKey, type AlertView } from '../read-model/monitoring-views';
import { AcknowledgementDto, AlertsQuery, SnoozeDto } from './alerts.dto';
import { ALERT_SCHEMA } from './monitoring-schemas';

/**
 * Alerts: raised when a resource drifts from pass to fail (by the evaluation, never by a request), resolved when it
 * passes again or is accepted as an exception. People acknowledge and snooze them.
 */
@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly readModel: MonitoringReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('monitoring:read')
  @ApiOperation({ summary: "The tenant's alerts, newest raised first; filters combine." })
  @ApiPageResponse(ALERT_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: AlertsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<AlertView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isAlertSortKey);
    const rows = await this.readModel.alerts(tenant, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, alertSortKey, request);
  }

  @Get(':id')
  @RequirePermission('monitoring:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: ALERT_SCHEMA })
  @ApiDomainErrors('alert-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<Representation<AlertView>> {
    const alert = await this.alertOf(tenant, params.id);
    return withEntityTag(alert, alert.version);
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @RequirePermission('alerts:write')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Acknowledge the alert: someone is on it. Notifications continue until it resolves or is snoozed.',
  })
  @ApiOkResponse({ schema: ALERT_SCHEMA })
  @ApiDomainErrors('alert-not-found', 'alert-resolved')
  async acknowledge(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: AcknowledgementDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<AlertView>> {
    await this.alertOf(context.tenantId, params.id);
    const { version } = await this.pipeline.run(
      this.aggregates.alert,
      context,
      {
        type: 'AcknowledgeAlert',
        alertId: params.id,
        ...(body.note === undefined ? {} : { note: body.note }),
        at: this.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.alertOf(context.tenantId, params.id), version);
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @RequirePermission('alerts:write')
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Snooze the alert until an instant at most 30 days ahead, with a reason.',
    description:
      'Notifications pause until then; the failure still counts against its controls. A resolved alert cannot be ' +
      'snoozed (409 `alert-resolved`).',
  })
  @ApiOkResponse({ schema: ALERT_SCHEMA })
  @ApiDomainErrors('alert-not-found', 'alert-resolved', 'invalid-snooze')
  async snooze(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: SnoozeDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<AlertView>> {
    await this.alertOf(context.tenantId, params.id);
    const { version } = await this.pipeline.run(
      this.aggregates.alert,
      context,
      {
        type: 'SnoozeAlert',
        alertId: params.id,
        until: new Date(body.until.toUpperCase()).toISOString(),
        reason: body.reason,
        at: this.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.alertOf(context.tenantId, params.id), version);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async alertOf(tenantId: string, alertId: string): Promise<AlertView> {
    const alert = await this.readModel.alert(tenantId, alertId);
    if (!alert) throw alertNotFound(alertId);
    return alert;
  }
}
