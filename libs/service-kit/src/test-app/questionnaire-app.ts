import { Body, Controller, Get, HttpCode, Module, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DomainError } from '@attest/decider';
import { ConcurrencyError, TenantMismatchError } from '@attest/event-store';
import { HealthCheck } from '../health-checks';
import { HealthModule } from '../health-module';
import { Tenant } from '../tenant';

/** The small service the specs drive: questionnaire answers, with ids that make it fail in each way it can. */
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

export class ListQuestionnairesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

@ApiTags('questionnaires')
@Controller('questionnaires')
export class QuestionnaireController {
  @Get()
  list(@Tenant() tenant: string, @Query() query: ListQuestionnairesQuery) {
    return { tenant, limit: query.limit ?? 20, items: [] };
  }

  @Post(':id/answers')
  @HttpCode(201)
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

@Module({})
export class QuestionnaireAppModule {
  static withChecks(checks: HealthCheck[]) {
    return {
      module: QuestionnaireAppModule,
      imports: [HealthModule.forRoot({ checks })],
      controllers: [QuestionnaireController],
    };
  }
}
