import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  Patch,
  Post,
  Query,
  Req,
  type DynamicModule,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { StaleVersionError } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import { ConcurrencyError, TenantMismatchError } from '@attest/event-store';
import { HealthCheck } from '../health-checks';
import { HealthModule } from '../health-module';
import { ApiDomainErrors } from '../http/api-problems';
import { ApiEntityTag, IfMatchVersion } from '../http/entity-tags';
import { Idempotent } from '../http/idempotency';
import {
  ApiPageResponse,
  decodeCursor,
  PageQueryDto,
  pageOf,
  stringKey,
  type PagedRequest,
} from '../http/pagination';
import { apiPath, created, withEntityTag } from '../http/representation';
import { RequirePermission } from '../identity/route-access';
import { Tenant } from '../tenant';

/** The small service the specs drive: questionnaires and their answers, with ids that make it fail in each way. */
export class AnswerDto {
  @ApiProperty({ example: 'q-1', pattern: '^q-\\d+$' })
  @IsString()
  @Matches(/^q-\d+$/)
  questionId!: string;

  @ApiProperty({ example: 'Yes, reviewed quarterly.' })
  @IsString()
  @IsNotEmpty()
  answer!: string;
}

export class RecordAnswersDto {
  @ApiProperty({ type: [AnswerDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AnswerDto)
  answers!: AnswerDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  note?: string;
}

export class CreateQuestionnaireDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Vendor security review' })
  @IsString()
  @Length(1, 200)
  title!: string;
}

export class RenameQuestionnaireDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Annual vendor review' })
  @IsString()
  @Length(1, 200)
  title!: string;
}

export class ListQuestionnairesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
}

export class QuestionnaireView {
  @ApiProperty({ example: 'qn-0001' })
  id!: string;

  @ApiProperty({ example: 'Vendor security review' })
  title!: string;

  @ApiProperty({ enum: ['open', 'closed'] })
  status!: 'open' | 'closed';

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

interface Stored {
  view: QuestionnaireView;
  version: number;
}

/** Per-tenant questionnaires in memory, ordered by (createdAt, id) as a read model would be. */
@Injectable()
export class Questionnaires {
  readonly byTenant = new Map<string, Map<string, Stored>>();
  /** How many times each tenant created one: what idempotency keeps from repeating. */
  readonly creations = new Map<string, number>();

  of(tenant: string): Map<string, Stored> {
    let rows = this.byTenant.get(tenant);
    if (!rows) this.byTenant.set(tenant, (rows = new Map()));
    return rows;
  }

  create(tenant: string, title: string): Stored {
    const rows = this.of(tenant);
    const n = (this.creations.get(tenant) ?? 0) + 1;
    this.creations.set(tenant, n);
    const id = `qn-${String(n).padStart(4, '0')}`;
    const stored = {
      view: {
        id,
        title,
        status: n % 3 === 0 ? 'closed' : 'open',
        createdAt: new Date(Date.UTC(2025, 0, n)).toISOString(),
      },
      version: 1,
    } satisfies Stored;
    rows.set(id, stored);
    return stored;
  }

  get(tenant: string, id: string): Stored {
    const stored = this.of(tenant).get(id);
    if (!stored) throw new DomainError('questionnaire-not-found', 'no such questionnaire');
    return stored;
  }
}

@ApiTags('questionnaires')
@Controller('questionnaires')
export class QuestionnaireController {
  constructor(private readonly questionnaires: Questionnaires) {}

  @Get()
  @RequirePermission('assessments:read')
  @ApiPageResponse(QuestionnaireView)
  list(@Tenant() tenant: string, @Query() query: ListQuestionnairesQuery, @Req() request: PagedRequest) {
    const after = query.cursor ? decodeCursor(query.cursor, stringKey(2)) : undefined;
    const rows = [...this.questionnaires.of(tenant).values()]
      .map((s) => s.view)
      .filter((v) => !query.status || v.status === query.status)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .filter((v) => !after || v.createdAt > after[0] || (v.createdAt === after[0] && v.id > after[1]))
      .slice(0, query.limit + 1);
    return pageOf(rows, query.limit, (v) => [v.createdAt, v.id], request);
  }

  @Post()
  @RequirePermission('assessments:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiCreatedResponse({ type: QuestionnaireView, description: 'The questionnaire, created.' })
  async create(@Tenant() tenant: string, @Body() body: CreateQuestionnaireDto) {
    // A slow command, so that a repeat can arrive while it runs.
    if (body.title === 'slow') await new Promise((resolve) => setTimeout(resolve, 400));
    if (body.title === 'refused') throw new DomainError('title-refused', 'this title is not allowed');
    const stored = this.questionnaires.create(tenant, body.title);
    return created(stored.view, apiPath('questionnaires', stored.view.id), stored.version);
  }

  @Get(':id')
  @RequirePermission('assessments:read')
  @ApiEntityTag()
  @ApiOkResponse({ type: QuestionnaireView, description: 'The questionnaire.' })
  @ApiDomainErrors('questionnaire-not-found')
  get(@Tenant() tenant: string, @Param('id') id: string) {
    const stored = this.questionnaires.get(tenant, id);
    return withEntityTag(stored.view, stored.version);
  }

  @Patch(':id')
  @RequirePermission('assessments:write')
  @ApiOkResponse({ type: QuestionnaireView, description: 'The questionnaire, renamed.' })
  @ApiDomainErrors('questionnaire-not-found')
  rename(
    @Tenant() tenant: string,
    @Param('id') id: string,
    @Body() body: RenameQuestionnaireDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ) {
    const stored = this.questionnaires.get(tenant, id);
    // What the command pipeline does with If-Match.
    if (expectedVersion !== undefined && expectedVersion !== stored.version)
      throw new StaleVersionError(`${tenant}/${id}`, expectedVersion, stored.version);
    stored.view = { ...stored.view, title: body.title };
    stored.version += 1;
    return withEntityTag(stored.view, stored.version);
  }

  @Post(':id/answers')
  @HttpCode(200)
  @RequirePermission('assessments:write')
  @ApiDomainErrors('already-submitted', 'not-found', 'answer-out-of-scope')
  record(@Tenant() tenant: string, @Param('id') id: string, @Body() body: RecordAnswersDto) {
    switch (id) {
      case 'submitted':
        throw new DomainError('already-submitted', 'questionnaire submitted is already submitted', {
          questionnaireId: id,
        });
      case 'missing':
        throw new DomainError('not-found', 'no questionnaire missing');
      case 'out-of-scope':
        throw new DomainError('answer-out-of-scope', 'question q-9 is not in this questionnaire');
      case 'stale':
        throw new ConcurrencyError(`${tenant}/questionnaire-${id}`, '3', 4);
      case 'foreign':
        throw new TenantMismatchError(`questionnaire-${id}`, 'other-tenant', tenant);
      case 'broken':
        throw new Error('connection to db://secret@internal failed');
    }
    return {
      tenant,
      questionnaireId: id,
      recorded: body.answers.length,
      isDto: body instanceof RecordAnswersDto && body.answers[0] instanceof AnswerDto,
    };
  }
}

/** Closed with the app (the test identity provider). */
export interface ClosesWithApp {
  close(): Promise<void>;
}

@Module({})
export class QuestionnaireAppModule {
  static withChecks(checks: HealthCheck[], closeWithApp: ClosesWithApp[] = []): DynamicModule {
    return {
      module: QuestionnaireAppModule,
      imports: [HealthModule.forRoot({ checks })],
      controllers: [QuestionnaireController],
      providers: [
        Questionnaires,
        ...closeWithApp.map((resource, i) => ({
          provide: `questionnaire-test.closes-with-app.${i}`,
          useValue: { onApplicationShutdown: () => resource.close() },
        })),
      ],
    };
  }
}
