import { RequestValidationError } from '@attest/service-kit';
import { actorOf, ANONYMOUS_ACTOR } from './request-actor';

describe('the actor header', () => {
  it('names a user, an API client or a system job', () => {
    expect(actorOf({ 'x-attest-actor': 'user:6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' })).toEqual({
      type: 'user',
      id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
    });
    expect(actorOf({ 'x-attest-actor': 'api-client:grc-sync' })).toEqual({
      type: 'api-client',
      id: 'grc-sync',
    });
    expect(actorOf({ 'x-attest-actor': 'system:readiness-scoring' })).toEqual({
      type: 'system',
      id: 'readiness-scoring',
    });
  });

  it('defaults to the anonymous API client', () => {
    expect(actorOf({})).toEqual(ANONYMOUS_ACTOR);
  });

  it('refuses anything else', () => {
    for (const bad of ['admin', 'user:bob', 'robot:x', 'user:', 'api-client:has space'])
      expect(() => actorOf({ 'x-attest-actor': bad })).toThrow(RequestValidationError);
  });
});
