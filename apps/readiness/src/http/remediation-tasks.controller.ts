import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { taskNotFound, type RemediationTaskCommand } from '@attest/readiness-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  ApiProblems,
  CLOCK,
  CommandContextOf,
  decodeCursor,
  IfMatchVersion,
  pageOf,
  RequestValidationError,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { remediationTaskAggregate } from '../event-flow/readiness-aggregates';
import { taskView } from '../read-model/assessment-views';
import { isTaskKey, ReadinessQueries } from '../read-model/readiness-queries';
import { PRIORITY_RANK } from '../read-model/remediation-task-projection';
import { IdParams } from './common.dto';
import { plain } from './plain';
import {
  CompleteRemediationTaskDto,
  ListRemediationTasksQuery,
  UpdateRemediationTaskDto,
} from './remediation-task.dto';
import { RemediationTaskView } from './views';

@ApiTags('remediation-tasks')
@Controller('remediation-tasks')
export class RemediationTasksController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: ReadinessQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('remediation:read')
  @ApiOperation({
    summary:
      'The remediation plan: open tasks by priority, due date and title, then closed ones (then by id)',
  })
  @ApiPageResponse(RemediationTaskView)
  async list(
    @Tenant() tenantId: string,
    @Query() query: ListRemediationTasksQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<RemediationTaskView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isTaskKey);
    const rows = await this.queries.tasks(
      tenantId,
      { assessmentId: query.assessmentId, status: query.status },
      { after, limit: query.limit + 1 },
    );
    const page = pageOf(
      rows,
      query.limit,
      (t) => [
        t.status === 'done' || t.status === 'cancelled' ? 1 : 0,
        PRIORITY_RANK[t.priority],
        t.dueDate,
        t.title,
        t.taskId,
      ],
      request,
    );
    return { items: page.items.map(taskView), next: page.next };
  }

  @Get(':id')
  @RequirePermission('remediation:read')
  @ApiEntityTag()
  @ApiDomainErrors('task-not-found')
  @ApiOperation({ summary: 'A remediation task with its history' })
  @ApiOkResponse({ type: RemediationTaskView })
  async get(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
  ): Promise<Representation<RemediationTaskView>> {
    const row = await this.queries.task(tenantId, params.id);
    if (!row) throw taskNotFound(params.id);
    return withEntityTag(taskView(row), row.version);
  }

  @Patch(':id')
  @RequirePermission('remediation:write')
  @ApiDomainErrors('task-not-found', 'invalid-status-transition', 'reason-required', 'task-closed')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: "Change a task's status, owner or due date",
    description:
      'open → in-progress → blocked → … ; a done or cancelled task can only be reopened (status open). ' +
      'Blocking or cancelling needs a reason.',
  })
  @ApiOkResponse({ type: RemediationTaskView })
  async update(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: UpdateRemediationTaskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RemediationTaskView>> {
    const dto = plain(body);
    if (dto.status === undefined && dto.owner === undefined && dto.dueDate === undefined)
      throw new RequestValidationError([
        { pointer: '', message: 'give at least one of status, owner, dueDate' },
      ]);
    return this.run(
      context,
      {
        type: 'UpdateRemediationTask',
        taskId: params.id,
        ...(dto.status !== undefined ? { status: dto.status } : {}),
        ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
        ...(dto.owner !== undefined ? { owner: dto.owner } : {}),
        ...(dto.dueDate !== undefined ? { dueDate: dto.dueDate } : {}),
        at: this.clock.now().toISOString(),
        actor: context.actor,
      },
      expectedVersion,
    );
  }

  @Post(':id/complete')
  @HttpCode(200)
  @RequirePermission('remediation:write')
  @ApiDomainErrors(
    'task-not-found',
    'task-already-completed',
    'task-cancelled',
    'risk-required',
    'risk-not-found',
    'risk-not-accepted',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Complete a task: its gaps are closed',
    description:
      'A risk-accepted resolution names a risk of the register that an approver accepted and whose acceptance ' +
      'has not expired (422 risk-not-accepted otherwise; 404 risk-not-found for an id the register does not have).',
  })
  @ApiOkResponse({ type: RemediationTaskView })
  async complete(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: CompleteRemediationTaskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RemediationTaskView>> {
    const dto = plain(body);
    return this.run(
      context,
      {
        type: 'CompleteRemediationTask',
        taskId: params.id,
        resolution: dto.resolution,
        ...(dto.resolutionNotes !== undefined ? { resolutionNotes: dto.resolutionNotes } : {}),
        ...(dto.controlIds !== undefined ? { controlIds: dto.controlIds } : {}),
        ...(dto.riskId !== undefined ? { riskId: dto.riskId } : {}),
        ...(dto.evidenceReferences !== undefined ? { evidenceReferences: dto.evidenceReferences } : {}),
        completedAt: this.clock.now().toISOString(),
        actor: context.actor,
      },
      expectedVersion,
    );
  }

  /** Runs a command on a task and answers the task as the read model now shows it, with the new version. */
  private async run(
    context: CommandContext,
    command: RemediationTaskCommand,
    expectedVersion: number | undefined,
  ): Promise<Representation<RemediationTaskView>> {
    const { version } = await this.pipeline.run(remediationTaskAggregate, context, command, {
      expectedVersion,
    });
    const row = await this.queries.task(context.tenantId, command.taskId);
    if (!row) throw taskNotFound(command.taskId);
    return withEntityTag(taskView(row), version);
  }
}
