import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { type AddressInfo, connect } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { HealthModule } from '../health-module';
import { currentRequestContext } from '../request-context';
import { createServiceApp } from '../start-service';
import { Tenant } from '../tenant';
import { AccessTokenVerifier } from './access-token-verifier';
import type { Principal, TenantMembership } from './principal';
import { ENGAGEMENT_GRANT_REFUSALS, type TenantAccessResolver } from './principal-claims';
import { CurrentPrincipal, PublicRoute, RequirePermission } from './route-access';
import { SystemController } from './system-routes';
import { startTestIssuer, TestIssuer } from './test-issuer';

@Controller('assessments')
class AssessmentsController {
  @Get()
  @RequirePermission('assessments:read')
  list(@Tenant() tenant: string, @CurrentPrincipal() principal: Principal) {
    return { tenant, principal, contextTenant: currentRequestContext()?.tenant };
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('assessments:write')
  start() {
    return { started: true };
  }

  @Get('engagements/:engagementId')
  @RequirePermission('assessments:read')
  ofEngagement(@Tenant() tenant: string) {
    return { tenant };
  }

  @Get('undeclared')
  undeclared() {
    return { leaked: true };
  }
}

@Controller('status')
@PublicRoute()
class StatusController {
  @Get()
  status() {
    return { status: 'fine' };
  }
}

@SystemController()
class SystemRoutesController {
  @Post('sweeps')
  @HttpCode(200)
  sweep(@CurrentPrincipal() principal: Principal) {
    return { principal, contextTenant: currentRequestContext()?.tenant };
  }
}

@Module({
  imports: [HealthModule.forRoot({ checks: [] })],
  controllers: [AssessmentsController, StatusController, SystemRoutesController],
})
class GuardedModule {}

/** Grants handed out by the test, as the auditor-engagement service will. */
const grants = new Map<string, TenantMembership[]>();
const tenantAccess: TenantAccessResolver = {
  grantsFor: async (identity) => grants.get(identity.subject) ?? [],
};

let issuer: TestIssuer;
let app: NestExpressApplication;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  const verifier = new AccessTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUri: issuer.jwksUri,
  });
  app = await createServiceApp(GuardedModule, {
    name: 'guard-test',
    openApi: { title: 'guard test', version: '1' },
    authentication: { verifier, tenantAccess },
    domainErrorStatus: ENGAGEMENT_GRANT_REFUSALS,
    writeLog: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  await app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await app.close();
  await issuer.close();
});

const http = () => request(app.getHttpServer());
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const role = (...roles: string[]) => ({ realm_access: { roles } });

describe('AuthenticationGuard', () => {
  it('answers 401 with a Bearer challenge, without error code, when no token is presented', async () => {
    for (const headers of [{}, { Authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
      const res = await http().get('/v1/assessments').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="attest"');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:attest:problem:unauthenticated', status: 401 });
    }
  });

  it('answers 401 invalid_token for a bad, malformed or doubled token, logging why but not the token', async () => {
    const expired = await issuer.sign({}, { expiresInSec: -120 });
    const good = await issuer.sign();
    const cases: [string, Record<string, string> | string[]][] = [
      ['expired', bearer(expired)],
      ['garbage', bearer('not.a.jwt')],
      ['malformed', { Authorization: 'Bearer two words' }],
      ['empty', { Authorization: 'Bearer' }],
    ];
    for (const [, headers] of cases) {
      const res = await http()
        .get('/v1/assessments')
        .set(headers as Record<string, string>)
        .expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="attest", error="invalid_token"');
      expect(JSON.stringify(res.body)).not.toContain(expired.split('.')[1]);
    }
    // Two Authorization headers: Node would silently keep the first (supertest cannot send two).
    const { port } = app.getHttpServer().address() as AddressInfo;
    const doubled = await new Promise<string>((resolve, reject) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.end(
          `GET /v1/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${good}\r\n` +
            `Authorization: Bearer ${good}\r\nConnection: close\r\n\r\n`,
        ),
      );
      socket
        .on('data', (d) => (answer += d))
        .on('end', () => resolve(answer))
        .on('error', reject);
    });
    expect(doubled).toMatch(/^HTTP\/1\.1 401 /);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'request not authenticated', reason: 'token expired' }),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'request not authenticated',
        reason: 'several Authorization headers',
      }),
    );
    expect(JSON.stringify(logs)).not.toContain(expired.split('.')[1]);
  });

  it('takes tenant and actor from the token, whatever headers say, with a case-insensitive scheme', async () => {
    const token = await issuer.sign({ sub: 'u-7', name: 'Cleo', ...role('integrator') });
    const res = await http()
      .get('/v1/assessments')
      .set({
        Authorization: `bEaReR ${token}`,
        'X-Attest-Tenant': 'globex',
        'X-Attest-Actor': 'system:readiness',
      })
      .expect(200);
    expect(res.body).toEqual({
      tenant: 'acme',
      contextTenant: 'acme',
      principal: {
        kind: 'user',
        subject: 'u-7',
        actorId: 'user:u-7',
        displayName: 'Cleo',
        tenant: 'acme',
        roles: ['integrator'],
        memberships: [{ tenant: 'acme', roles: ['integrator'], source: 'token' }],
      },
    });
  });

  it('answers 403 when the roles lack the permission, 200 when they hold it', async () => {
    const integrator = await issuer.sign(role('integrator'));
    const res = await http().post('/v1/assessments').set(bearer(integrator)).expect(403);
    expect(res.body).toMatchObject({ type: 'urn:attest:problem:forbidden', status: 403 });
    expect(res.body.detail).toContain('assessments:write');
    expect(res.headers['www-authenticate']).toBeUndefined();
    await http()
      .post('/v1/assessments')
      .set(bearer(await issuer.sign(role('compliance-manager'))))
      .expect(200);
    await http()
      .post('/v1/assessments')
      .set(bearer(await issuer.sign(role('default-roles-attest', 'offline_access'))))
      .expect(403);
  });

  it('refuses a route that declares no permission to everyone (fail closed)', async () => {
    const res = await http()
      .get('/v1/assessments/undeclared')
      .set(bearer(await issuer.sign(role('admin'))))
      .expect(403);
    expect(res.body.leaked).toBeUndefined();
    await http().get('/v1/assessments/undeclared').expect(401);
  });

  it('leaves public routes and health probes open, token or not', async () => {
    await http().get('/v1/status').expect(200, { status: 'fine' });
    await http().get('/health/live').expect(200);
    await http().get('/v1/status').set(bearer('garbage')).expect(200);
  });

  it('refuses an auditor without a grant (no tenant claim), and admits one through a grant', async () => {
    const auditor = await issuer.sign({ sub: 'auditor-1', attest_tenant: undefined, ...role('auditor') });
    await http().get('/v1/assessments').set(bearer(auditor)).expect(403);
    grants.set('auditor-1', [{ tenant: 'globex', roles: ['auditor'], source: 'grant', engagementId: 'e-1' }]);
    const res = await http().get('/v1/assessments').set(bearer(auditor)).expect(200);
    expect(res.body.tenant).toBe('globex');
    expect(res.body.principal.roles).toEqual(['auditor']);
    await http().post('/v1/assessments').set(bearer(auditor)).expect(403);
    grants.delete('auditor-1');
  });

  it('picks the grant of the engagement a route names, and answers 404 for an engagement not granted', async () => {
    const auditor = await issuer.sign({ sub: 'auditor-2', attest_tenant: undefined, ...role('auditor') });
    grants.set('auditor-2', [
      { tenant: 'globex', roles: ['auditor'], source: 'grant', engagementId: 'e-1' },
      { tenant: 'initech', roles: ['auditor'], source: 'grant', engagementId: 'e-2' },
    ]);
    // Two clients: outside an engagement's routes no tenant is chosen.
    await http().get('/v1/assessments').set(bearer(auditor)).expect(403);
    const res = await http().get('/v1/assessments/engagements/e-2').set(bearer(auditor)).expect(200);
    expect(res.body.tenant).toBe('initech');
    const refused = await http().get('/v1/assessments/engagements/e-3').set(bearer(auditor)).expect(404);
    expect(refused.body.code).toBe('engagement-not-found');
    grants.delete('auditor-2');
  });

  const serviceToken = (roles = ['service']) =>
    issuer.sign({
      azp: 'attest-orchestrator',
      client_id: 'attest-orchestrator',
      preferred_username: 'service-account-attest-orchestrator',
      attest_tenant: undefined,
      name: undefined,
      ...role(...roles),
    });

  it('refuses client-credentials (service) tokens on every route not made for services', async () => {
    const service = await serviceToken();
    await http().get('/v1/assessments').set(bearer(service)).expect(403);
    await http().get('/v1/assessments/engagements/e-1').set(bearer(service)).expect(403);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'access denied', actorId: 'system:attest-orchestrator' }),
    );
  });

  it('makes a service a principal of the tenant a system route names, with its service role', async () => {
    const res = await http()
      .post('/v1/system/tenants/globex/sweeps')
      .set(bearer(await serviceToken()))
      .set('X-Attest-Tenant', 'acme')
      .expect(200);
    expect(res.body).toEqual({
      contextTenant: 'globex',
      principal: {
        kind: 'service',
        subject: 'a3a1b7de-5f55-4b0e-9a43-0d7d1c1f2b11',
        actorId: 'system:attest-orchestrator',
        displayName: 'attest-orchestrator',
        tenant: 'globex',
        roles: ['service'],
        memberships: [{ tenant: 'globex', roles: ['service'], source: 'route' }],
      },
    });
    // A service account without the role holds no permission; a malformed tenant is a malformed path.
    await http()
      .post('/v1/system/tenants/globex/sweeps')
      .set(bearer(await serviceToken([])))
      .expect(403);
    const malformed = await http()
      .post('/v1/system/tenants/Not_A_Tenant/sweeps')
      .set(bearer(await serviceToken()))
      .expect(400);
    expect(malformed.body.errors).toEqual([
      { pointer: '/tenantId', in: 'path', message: 'tenantId must be a tenant id' },
    ]);
  });

  it("refuses users on system routes, their own tenant's (no person operates the platform) or another's", async () => {
    for (const path of ['/v1/system/tenants/acme/sweeps', '/v1/system/tenants/globex/sweeps']) {
      const res = await http()
        .post(path)
        .set(bearer(await issuer.sign(role('admin', 'service'))))
        .expect(403);
      expect(res.body.type).toBe('urn:attest:problem:forbidden');
    }
  });
});
