import { assertWithinContracts, catalogContracts } from './event-contracts-check';
import { CommandRejectedError } from './pipeline-errors';

const policyId = 'a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d';
const accepted = {
  type: 'PolicyAccepted',
  data: {
    policyId,
    version: '1.1.0',
    acceptanceId: 'f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e',
    person: { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c' },
    method: 'in-app',
    contentSha256: '9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab',
    acceptedAt: '2026-04-20T09:12:44.000Z',
    actor: { type: 'user', id: '1d3f5b7a-9c2e-4a6b-8d0f-2e4a6c8b0d1f' },
  },
};
const policyStream = { streamId: policyId, streamType: 'policy' };
const contracts = catalogContracts('control-mapping');

describe('catalogContracts', () => {
  it('passes a public event that matches its schema, and leaves a type outside the catalog to the store', () => {
    expect(contracts.problemsOf(accepted, policyStream)).toEqual([]);
    // Every type a service appends is public now; the store refuses one it has no route for (TypeError).
    expect(contracts.problemsOf({ type: 'DraftScribbled', data: 'anything' }, policyStream)).toEqual([]);
  });

  it('names what is wrong without repeating the submitted values', () => {
    const invalid = { ...accepted, data: { ...accepted.data, person: { displayName: 'Secret Name' } } };
    const problems = contracts.problemsOf(invalid, policyStream);
    // A name in the clear where the contract wants a sealed token is refused too (the pipeline seals before checking).
    expect(problems).toEqual([
      "/person must have required property 'personId'",
      expect.stringMatching(/^\/person\/displayName must match pattern/),
    ]);
    expect(problems.join()).not.toContain('Secret Name');
  });

  it('treats an event routed to the wrong stream as a bug, not as bad input', () => {
    expect(() =>
      contracts.problemsOf(accepted, {
        streamId: 'c3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d',
        streamType: 'policy',
      }),
    ).toThrow(TypeError);
    expect(() => contracts.problemsOf(accepted, { streamId: policyId, streamType: 'control' })).toThrow(
      TypeError,
    );
  });
});

describe('assertWithinContracts', () => {
  it('refuses the batch with the first event that breaks its contract', () => {
    const invalid = { ...accepted, data: { ...accepted.data, method: 42 } };
    const batch = [{ tenantId: 'acme', ...policyStream, expectedVersion: 3, events: [accepted, invalid] }];
    let refused: unknown;
    try {
      assertWithinContracts(contracts, batch);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(CommandRejectedError);
    expect(refused).toMatchObject({ eventType: 'PolicyAccepted', streamType: 'policy' });
    expect((refused as CommandRejectedError).problems).toContain('/method must be string');
  });
});
