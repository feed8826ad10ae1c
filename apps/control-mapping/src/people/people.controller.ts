import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  dateOf,
  importRefused,
  normalizeEmail,
  parsePeopleCsv,
  peopleDirectoryIdFor,
  type PersonEvent,
} from '@attest/people-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  cursorKey,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  keyPart,
  pageOf,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { UuidParams } from '../http/dto/common.dto';
import { peopleImportAggregate, personAggregate } from './people-aggregates';
import { PEOPLE_CSV_BODY, PEOPLE_IMPORT_SCHEMA, PERSON_SCHEMA } from './people-openapi';
import { PeopleReadModel, type PersonView } from './people-read-model';
import { AddPersonDto, PeopleQuery, RecordDepartureDto } from './people.dto';

/** The people list's sort key: name, then id. */
const isPersonKey = cursorKey<[string, string]>(keyPart.text, keyPart.uuid);

/** What an import did, by count. */
export interface PeopleImportResult {
  rows: number;
  joined: number;
  changed: number;
  left: number;
  unchanged: number;
}

function importResult(rows: number, events: { type: string; data: unknown }[]): PeopleImportResult {
  const count = (type: PersonEvent['type']) => events.filter((e) => e.type === type).length;
  const touched = new Set(events.map((e) => (e.data as { personId: string }).personId)).size;
  return {
    rows,
    joined: count('PersonJoined'),
    changed: count('PersonDetailsChanged'),
    left: count('PersonLeft'),
    unchanged: rows - touched,
  };
}

/**
 * The organization's people directory (employees and contractors, joiners and leavers): added one by one or
 * imported from the HR system's CSV export, which changes the people it knows and records departures.
 */
@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly people: PeopleReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  @Post()
  @RequirePermission('people:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: 'Add a person (a joiner) to the people directory.' })
  @ApiCreatedResponse({ schema: PERSON_SCHEMA })
  @ApiDomainErrors(
    'person-email-taken',
    'employee-number-taken',
    'manager-not-found',
    'invalid-person-details',
  )
  async add(
    @CommandContextOf() context: CommandContext,
    @Body() body: AddPersonDto,
  ): Promise<Representation<PersonView>> {
    const { tenantId } = context;
    const personId = randomUUID();
    if (body.managerPersonId) await this.requireManager(tenantId, body.managerPersonId);
    const at = this.now();
    const { version } = await this.pipeline.run(personAggregate, context, {
      type: 'JoinPerson',
      personId,
      details: { ...body },
      holders: await this.people.directory(tenantId, {
        email: normalizeEmail(body.email),
        ...(body.employeeNumber ? { employeeNumber: body.employeeNumber } : {}),
      }),
      at,
      actor: context.actor,
    });
    const { view } = await this.people.person(tenantId, personId, dateOf(at));
    return created(view, apiPath('people', personId), version);
  }

  @Post('imports')
  @HttpCode(200)
  @RequirePermission('people:write')
  @Idempotent()
  @ApiConsumes('text/csv')
  @ApiBody(PEOPLE_CSV_BODY)
  @ApiOperation({
    summary:
      "Import the HR system's people file (CSV): new people join, known people's details change where the file " +
      'differs, people with an end date leave. All or nothing.',
  })
  @ApiOkResponse({ schema: PEOPLE_IMPORT_SCHEMA })
  @ApiDomainErrors('people-import-invalid')
  async import(
    @CommandContextOf() context: CommandContext,
    @Body() csv: unknown,
  ): Promise<PeopleImportResult> {
    if (typeof csv !== 'string')
      throw new HttpException('Send the people file as Content-Type: text/csv.', 415);
    const { rows, problems } = parsePeopleCsv(csv);
    if (problems.length) throw importRefused(problems);
    const { tenantId } = context;
    const { events } = await this.pipeline.run(peopleImportAggregate, context, {
      type: 'ImportPeople',
      directoryId: peopleDirectoryIdFor(tenantId),
      rows,
      directory: await this.people.directory(tenantId),
      newPersonIds: rows.map(() => randomUUID()),
      people: {},
      at: this.now(),
      actor: context.actor,
    });
    return importResult(rows.length, events);
  }

  @Get()
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'The people directory by name (then id); `status` active or left.' })
  @ApiPageResponse(PERSON_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PeopleQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<PersonView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isPersonKey);
    const rows = await this.people.people(
      tenant,
      { ...(query.status ? { status: query.status } : {}), today: dateOf(this.clock.now()) },
      { after, limit: query.limit + 1 },
    );
    return pageOf(rows, query.limit, (p) => [p.displayName, p.personId], request);
  }

  @Get(':id')
  @RequirePermission('people:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: PERSON_SCHEMA })
  @ApiDomainErrors('person-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<Representation<PersonView>> {
    const { view, version } = await this.people.person(tenant, params.id, dateOf(this.clock.now()));
    return withEntityTag(view, version);
  }

  @Post(':id/departure')
  @HttpCode(200)
  @RequirePermission('people:write')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Record that the person leaves (or left) on their end date; from then on they owe no policy acceptance.',
  })
  @ApiOkResponse({ schema: PERSON_SCHEMA })
  @ApiDomainErrors('person-not-found', 'person-already-left', 'end-before-start')
  async recordDeparture(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: RecordDepartureDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<PersonView>> {
    const at = this.now();
    const { version } = await this.pipeline.run(
      personAggregate,
      context,
      {
        type: 'RecordDeparture',
        personId: params.id,
        endDate: body.endDate,
        ...(body.reason ? { reason: body.reason } : {}),
        at,
        actor: context.actor,
      },
      { expectedVersion },
    );
    const { view } = await this.people.person(context.tenantId, params.id, dateOf(at));
    return withEntityTag(view, version);
  }

  /** A manager is someone of the organization's own directory. */
  private async requireManager(tenantId: string, managerPersonId: string): Promise<void> {
    if (!(await this.people.exists(tenantId, managerPersonId)))
      throw new DomainError('manager-not-found', 'the manager is not a person of the directory', {
        managerPersonId,
      });
  }
}
