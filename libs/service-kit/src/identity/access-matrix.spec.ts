import { Controller, Get, INestApplication, Module, Patch, Post, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule } from '../health-module';
import { accessMatrix, renderAccessMatrix } from './access-matrix';
import { PublicRoute, RequirePermission } from './route-access';
import { SystemController } from './system-routes';

@Controller('policies')
@RequirePermission('policies:read')
class PoliciesController {
  @Get()
  list() {
    return [];
  }

  @Get(':id')
  get() {
    return {};
  }

  @Post(':id/versions/:v/approve')
  @RequirePermission('policies:approve')
  approve() {
    return {};
  }
}

@Controller('tasks')
class TasksController {
  @Patch(':id')
  @RequirePermission('remediation:write')
  update() {
    return {};
  }

  @Post('forgotten')
  forgotten() {
    return {};
  }
}

@Controller('status')
@PublicRoute()
class StatusController {
  @Get()
  status() {
    return {};
  }

  @Get('details')
  @RequirePermission('assessments:read')
  details() {
    return {};
  }
}

@SystemController()
class SystemRoutesController {
  @Post('sweeps')
  sweep() {
    return {};
  }
}

@Module({
  imports: [HealthModule.forRoot({ checks: [] })],
  controllers: [PoliciesController, TasksController, StatusController, SystemRoutesController],
})
class MatrixModule {}

let app: INestApplication;

beforeAll(async () => {
  app = await NestFactory.create(MatrixModule, { logger: false });
  app.setGlobalPrefix('v1', { exclude: [{ path: 'health/(.*)', method: RequestMethod.ALL }] });
  await app.init();
});
afterAll(() => app.close());

describe('accessMatrix', () => {
  it("lists every route with its declared access, as the guard reads it (the route's own wins)", () => {
    expect(accessMatrix(app)).toEqual([
      { method: 'GET', path: '/health/live', access: 'public' },
      { method: 'GET', path: '/health/ready', access: 'public' },
      { method: 'GET', path: '/v1/policies', access: 'policies:read' },
      { method: 'GET', path: '/v1/policies/{id}', access: 'policies:read' },
      { method: 'POST', path: '/v1/policies/{id}/versions/{v}/approve', access: 'policies:approve' },
      { method: 'GET', path: '/v1/status', access: 'public' },
      { method: 'GET', path: '/v1/status/details', access: 'assessments:read' },
      { method: 'POST', path: '/v1/system/tenants/{tenantId}/sweeps', access: 'system:operate' },
      { method: 'POST', path: '/v1/tasks/forgotten', access: 'none' },
      { method: 'PATCH', path: '/v1/tasks/{id}', access: 'remediation:write' },
    ]);
  });
});

describe('renderAccessMatrix', () => {
  it('renders each role and, per service, every route × role cell as public, allowed or denied; a service only on routes naming the tenant', () => {
    const text = renderAccessMatrix({
      policies: accessMatrix(app).filter((r) => !r.path.startsWith('/health')),
    });
    expect(text).toContain('| employee | `policies:read`, `policies:accept` |');
    const table = text.slice(text.indexOf('## policies'));
    expect(table).toBe(
      [
        '## policies',
        '',
        '| Route | Permission | admin | compliance-manager | control-owner | employee | auditor | integrator | service |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| `GET /v1/policies` | `policies:read` | allowed | allowed | allowed | allowed | allowed | allowed | denied |',
        '| `GET /v1/policies/{id}` | `policies:read` | allowed | allowed | allowed | allowed | allowed | allowed | denied |',
        '| `POST /v1/policies/{id}/versions/{v}/approve` | `policies:approve` | allowed | allowed | denied | denied | denied | denied | denied |',
        '| `GET /v1/status` | public | public | public | public | public | public | public | public |',
        '| `GET /v1/status/details` | `assessments:read` | allowed | allowed | allowed | denied | allowed | allowed | denied |',
        '| `POST /v1/system/tenants/{tenantId}/sweeps` | `system:operate` | denied | denied | denied | denied | denied | denied | allowed |',
        '| `POST /v1/tasks/forgotten` | none | denied | denied | denied | denied | denied | denied | denied |',
        '| `PATCH /v1/tasks/{id}` | `remediation:write` | allowed | allowed | allowed | denied | denied | denied | denied |',
        '',
      ].join('\n'),
    );
  });
});
