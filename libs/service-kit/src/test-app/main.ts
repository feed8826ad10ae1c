// The questionnaire test service's main, as a real service's would be; start-service.spec.ts runs it in a child
// process: node -r @swc-node/register libs/service-kit/src/test-app/main.ts
import { loadServiceConfig } from '../service-config';
import { runService, startService } from '../start-service';
import { QuestionnaireAppModule } from './questionnaire-app';
import { TEST_APP_DOMAIN_ERROR_STATUS, TEST_APP_OPENAPI } from './start-questionnaire-app';

void runService('questionnaire-test', async () => {
  const config = loadServiceConfig({ service: 'questionnaire-test', httpPort: 3999 });
  await startService(QuestionnaireAppModule.withChecks([]), {
    ...config.http,
    name: config.service,
    logLevel: config.logLevel,
    openApi: TEST_APP_OPENAPI,
    domainErrorStatus: TEST_APP_DOMAIN_ERROR_STATUS,
    authentication: config.identity,
  });
});
