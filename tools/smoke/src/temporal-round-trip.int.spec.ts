import { infraEndpoints } from '@attest/platform-config';
import { createHash } from 'node:crypto';
import { temporalRoundTrip } from './temporal-round-trip';

describe('Temporal round trip (real dev server and worker)', () => {
  it('runs a workflow to completion on a real worker and finds it by a custom search attribute', async () => {
    const { temporalAddress, temporalNamespace } = infraEndpoints();
    const run = await temporalRoundTrip(temporalAddress, temporalNamespace);

    const expected = createHash('sha256').update(`hello from ${run.tenantId}`).digest('hex');
    expect(run.result).toEqual({ message: `hello from ${run.tenantId}`, sha256: expected });
    expect(run.foundBySearchAttribute).toEqual([run.workflowId]);
  });
});
