import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { isCommandContext, type CommandContext } from '@attest/command-pipeline';
import { createServiceApp } from '../start-service';
import { AccessTokenVerifier } from './access-token-verifier';
import { CommandContextOf } from './command-context';
import { RequirePermission } from './route-access';
import { startTestIssuer, type TestIssuer } from './test-issuer';

let seen: CommandContext | undefined;

@Controller('risks')
class RisksController {
  @Post()
  @HttpCode(200)
  @RequirePermission('risks:write')
  register(@CommandContextOf() context: CommandContext) {
    seen = context;
    return { ok: true };
  }
}

@Module({ controllers: [RisksController] })
class ContextModule {}

let issuer: TestIssuer;
let app: NestExpressApplication;

beforeAll(async () => {
  issuer = await startTestIssuer();
  app = await createServiceApp(ContextModule, {
    name: 'context-test',
    openApi: { title: 'context test', version: '1' },
    authentication: {
      verifier: new AccessTokenVerifier({
        issuer: issuer.issuer,
        audience: issuer.audience,
        jwksUri: issuer.jwksUri,
      }),
    },
    writeLog: () => undefined,
  });
  await app.init();
});
afterAll(async () => {
  await app.close();
  await issuer.close();
});

describe('@CommandContextOf()', () => {
  it('is the pipeline context of the token’s principal, correlated by the request id, whatever headers say', async () => {
    const token = await issuer.sign({ sub: '0b6d7f9e-2c4a-4e8b-9f1d-3a5c7e9b1d2f', name: 'Maya Manager' });
    await request(app.getHttpServer())
      .post('/v1/risks')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'req-42')
      .set('X-Attest-Tenant', 'globex')
      .set('X-Attest-Actor', 'system:readiness')
      .send({})
      .expect(200);
    expect(isCommandContext(seen)).toBe(true);
    expect(seen).toMatchObject({
      tenantId: 'acme',
      actorId: 'user:0b6d7f9e-2c4a-4e8b-9f1d-3a5c7e9b1d2f',
      actor: { type: 'user', id: '0b6d7f9e-2c4a-4e8b-9f1d-3a5c7e9b1d2f', displayName: 'Maya Manager' },
      correlationId: 'req-42',
    });
  });
});
