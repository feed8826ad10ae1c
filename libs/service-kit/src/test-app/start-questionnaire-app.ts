import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthCheck } from '../health-checks';
import { startTestIssuer, type TestIssuer } from '../identity/test-issuer';
import { startService, type ServiceAppOptions } from '../start-service';
import { QuestionnaireAppModule } from './questionnaire-app';

export interface RunningTestApp {
  app: NestExpressApplication;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The stand-in identity provider whose tokens the app accepts; closed with the app. */
  issuer: TestIssuer;
  /** `Bearer <token>` for an admin of tenant acme, with `claims` overriding the token's (e.g. `{ sub, attest_tenant }`). */
  bearer(claims?: Record<string, unknown>): Promise<string>;
}

export const TEST_APP_OPENAPI = { title: 'Questionnaire test service', version: '1.0.0' };
export const TEST_APP_DOMAIN_ERROR_STATUS = {
  'answer-out-of-scope': 422,
  'questionnaire-not-found': 404,
  'title-refused': 422,
} as const;

/**
 * Starts the questionnaire test service through startService on a free loopback port, logs captured, accepting
 * the access tokens of a test issuer it starts. `options` adds to or overrides the service options (idempotency,
 * rate limit).
 */
export async function startQuestionnaireApp(
  checks: HealthCheck[] = [],
  options: Partial<ServiceAppOptions> = {},
): Promise<RunningTestApp> {
  const logs: Record<string, unknown>[] = [];
  const issuer = await startTestIssuer();
  const app = await startService(QuestionnaireAppModule.withChecks(checks, [issuer]), {
    name: 'questionnaire-test',
    port: 0,
    logLevel: 'debug',
    openApi: TEST_APP_OPENAPI,
    domainErrorStatus: TEST_APP_DOMAIN_ERROR_STATUS,
    authentication: { issuer: issuer.issuer, audience: issuer.audience, jwksUri: issuer.jwksUri },
    writeLog: (line) => logs.push(JSON.parse(line)),
    ...options,
  });
  return { app, logs, issuer, bearer: async (claims) => `Bearer ${await issuer.sign(claims)}` };
}
