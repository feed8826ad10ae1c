import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthCheck } from '../health-checks';
import { startService } from '../start-service';
import { QuestionnaireAppModule } from './questionnaire-app';

export interface RunningTestApp {
  app: NestExpressApplication;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
}

/** Starts the questionnaire test service through startService on a free loopback port, logs captured. */
export async function startQuestionnaireApp(checks: HealthCheck[] = []): Promise<RunningTestApp> {
  const logs: Record<string, unknown>[] = [];
  const app = await startService(QuestionnaireAppModule.withChecks(checks), {
    name: 'questionnaire-test',
    port: 0,
    logLevel: 'debug',
    openApi: { title: 'Questionnaire test service', version: '1.0.0' },
    domainErrorStatus: { 'answer-out-of-scope': 422 },
    writeLog: (line) => logs.push(JSON.parse(line)),
  });
  return { app, logs };
}
