import { Controller, DynamicModule, Get, Inject, Module, ModuleMetadata, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, Readiness, runHealthChecks } from './health-checks';
import { PublicRoute } from './identity/route-access';

const HEALTH_CHECKS = Symbol('attest.healthChecks');

interface StatusResponse {
  status(code: number): unknown;
}

const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['status', 'durationMs'],
        properties: {
          status: { type: 'string', enum: ['up', 'down'] },
          durationMs: { type: 'integer' },
          error: { type: 'string' },
        },
      },
    },
  },
};

/** Liveness and readiness probes; open without a token. */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: readonly HealthCheck[]) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({
    description: 'The process is up.',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['up'] } },
    },
  })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /** 200 when every dependency check passes, else 503; both list each check's status. */
  @Get('ready')
  @ApiOkResponse({ description: 'Every check passed.', schema: READINESS_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'At least one check failed; each check has status and error.',
    schema: READINESS_SCHEMA,
  })
  async ready(@Res({ passthrough: true }) response: StatusResponse): Promise<Readiness> {
    const readiness = await runHealthChecks(this.checks);
    response.status(readiness.status === 'ready' ? 200 : 503);
    return readiness;
  }
}

export interface HealthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => HealthCheck[] | Promise<HealthCheck[]>;
}

/**
 * GET /health/live and GET /health/ready. `forRoot({ checks })` when the checks are at hand,
 * `forRootAsync({ inject: [PG_POOL], useFactory: (pool) => [postgresCheck(pool)] })` when they need providers.
 */
@Module({})
export class HealthModule {
  static forRoot(options: { checks: HealthCheck[] }): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECKS, useValue: options.checks }],
    };
  }

  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECKS, inject: options.inject ?? [], useFactory: options.useFactory }],
    };
  }
}
