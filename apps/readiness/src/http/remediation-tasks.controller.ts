import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@attest/decider';
import type { Actor } from '@attest/readiness-domain';
import { RequestValidationError, Tenant } from '@attest/service-kit';
import { remediationTaskAggregate } from '../event-flow/readiness-aggregates';
import { ReadinessCommandBus } from '../event-flow/readiness-command-bus';
import { taskView } from '../read-model/assessment-views';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import {
  CompleteRemediationTaskDto,
  ListRemediationTasksQuery,
  UpdateRemediationTaskDto,
} from './remediation-task.dto';
import { ApiActorHeader, RequestActor } from './request-actor';
import { RemediationTaskListView, RemediationTaskView } from './views';

const taskNotFound = (taskId: string) =>
  new DomainError('task-not-found', `no remediation task ${taskId}`, { taskId });

@ApiTags('remediation-tasks')
@ApiActorHeader()
@Controller('remediation-tasks')
export class RemediationTasksController {
  constructor(
    private readonly bus: ReadinessCommandBus,
    private readonly queries: ReadinessQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The remediation plan: open tasks by priority and due date, then closed ones' })
  @ApiOkResponse({ type: RemediationTaskListView })
  async list(
    @Tenant() tenantId: string,
    @Query() query: ListRemediationTasksQuery,
  ): Promise<RemediationTaskListView> {
    const rows = await this.queries.tasks(tenantId, query);
    return { items: rows.map(taskView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A remediation task with its history' })
  @ApiOkResponse({ type: RemediationTaskView })
  async get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<RemediationTaskView> {
    return this.view(tenantId, params.id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a task's status, owner or due date",
    description:
      'open → in-progress → blocked → … ; a done or cancelled task can only be reopened (status open). ' +
      'Blocking or cancelling needs a reason.',
  })
  @ApiOkResponse({ type: RemediationTaskView })
  async update(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Param() params: IdParams,
    @Body() body: UpdateRemediationTaskDto,
  ): Promise<RemediationTaskView> {
    const dto = plain(body);
    if (dto.status === undefined && dto.owner === undefined && dto.dueDate === undefined)
      throw new RequestValidationError([
        { pointer: '', message: 'give at least one of status, owner, dueDate' },
      ]);
    await this.bus.execute(remediationTaskAggregate, this.target(tenantId, params.id, actor), {
      type: 'UpdateRemediationTask',
      taskId: params.id,
      ...(dto.status !== undefined ? { status: dto.status } : {}),
      ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
      ...(dto.owner !== undefined ? { owner: dto.owner } : {}),
      ...(dto.dueDate !== undefined ? { dueDate: dto.dueDate } : {}),
      at: new Date().toISOString(),
      actor,
    });
    return this.view(tenantId, params.id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task: its gaps are closed' })
  @ApiOkResponse({ type: RemediationTaskView })
  async complete(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Param() params: IdParams,
    @Body() body: CompleteRemediationTaskDto,
  ): Promise<RemediationTaskView> {
    const dto = plain(body);
    await this.bus.execute(remediationTaskAggregate, this.target(tenantId, params.id, actor), {
      type: 'CompleteRemediationTask',
      taskId: params.id,
      resolution: dto.resolution,
      ...(dto.resolutionNotes !== undefined ? { resolutionNotes: dto.resolutionNotes } : {}),
      ...(dto.controlIds !== undefined ? { controlIds: dto.controlIds } : {}),
      ...(dto.riskId !== undefined ? { riskId: dto.riskId } : {}),
      ...(dto.evidenceReferences !== undefined ? { evidenceReferences: dto.evidenceReferences } : {}),
      completedAt: new Date().toISOString(),
      actor,
    });
    return this.view(tenantId, params.id);
  }

  private async view(tenantId: string, taskId: string): Promise<RemediationTaskView> {
    const row = await this.queries.task(tenantId, taskId);
    if (!row) throw taskNotFound(taskId);
    return taskView(row);
  }

  private target(tenantId: string, taskId: string, actor: Actor) {
    return { tenantId, streamId: taskId, actorId: actor.id, notFound: () => taskNotFound(taskId) };
  }
}
