import { actorOf, ANONYMOUS_API_CLIENT } from './request-actor';

describe('request actor', () => {
  it('is the user named by X-Attest-Actor, with an optional display name', () => {
    expect(actorOf({ 'x-attest-actor': 'u-42', 'x-attest-actor-name': 'Priya Raman' })).toEqual({
      type: 'user',
      id: 'u-42',
      displayName: 'Priya Raman',
    });
  });

  it('is an unidentified API client without the header', () => {
    expect(actorOf({})).toBe(ANONYMOUS_API_CLIENT);
  });

  it('refuses an empty, too long or control-character header', () => {
    for (const bad of ['', 'x'.repeat(201), 'a\nb'])
      expect(() => actorOf({ 'x-attest-actor': bad })).toThrow('request validation failed');
    expect(() => actorOf({ 'x-attest-actor': 'u', 'x-attest-actor-name': '' })).toThrow();
  });
});
