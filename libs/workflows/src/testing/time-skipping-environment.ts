import path from 'node:path';
import { searchAttributeTypes, type SearchAttributeTypeName } from '@attest/workflow-contracts';
import { TestWorkflowEnvironment } from '@temporalio/testing';

// The SDK would download its test server; here it runs the Java one from Maven Central (infra/local).
const testServer = path.resolve(__dirname, '../../../../infra/local/temporal/test-server.sh');

// temporal.api.enums.v1.IndexedValueType (the proto package is not a direct dependency).
const indexedValueType: Record<SearchAttributeTypeName, number> = { Keyword: 2, Int: 3, Datetime: 6 };

/**
 * Temporal's time-skipping test server (the Java one, via existing-path) with Attest's search attributes
 * registered as infra/local registers them on the dev server: a workflow upserting an unknown attribute fails its
 * workflow task there.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(searchAttributeTypes).map(([name, type]) => [name, indexedValueType[type]]),
    ),
  });
  return env;
}
