import { ServiceTokenSource } from './service-token';

function identityProvider(expiresIn = 300) {
  const requests: URLSearchParams[] = [];
  const fetchImpl = (async (_url: string, init: { body: URLSearchParams }) => {
    requests.push(init.body);
    return new Response(JSON.stringify({ access_token: `token-${requests.length}`, expires_in: expiresIn }), {
      status: 200,
    });
  }) as unknown as typeof fetch;
  return { requests, fetchImpl };
}

const credentials = {
  tokenUrl: 'http://idp.example/realms/attest/protocol/openid-connect/token',
  clientId: 'attest-orchestrator',
  clientSecret: 's3cret',
};

describe('ServiceTokenSource', () => {
  it('asks for a client-credentials token once and reuses it until a minute before it expires', async () => {
    let now = 1_000_000;
    const idp = identityProvider(300);
    const source = new ServiceTokenSource(credentials, () => now, idp.fetchImpl);

    expect(await source.token()).toBe('token-1');
    now += 239_000;
    expect(await source.token()).toBe('token-1');
    now += 1_000; // 4 minutes in: one minute before the 5-minute token lapses
    expect(await source.token()).toBe('token-2');
    expect(idp.requests.map((r) => Object.fromEntries(r))).toEqual([
      { grant_type: 'client_credentials', client_id: 'attest-orchestrator', client_secret: 's3cret' },
      { grant_type: 'client_credentials', client_id: 'attest-orchestrator', client_secret: 's3cret' },
    ]);
  });

  it('makes one request for activities asking at the same time', async () => {
    const idp = identityProvider();
    const source = new ServiceTokenSource(credentials, Date.now, idp.fetchImpl);
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(idp.requests).toHaveLength(1);
  });

  it('gets a new token after invalidate (a service refused the old one)', async () => {
    const idp = identityProvider();
    const source = new ServiceTokenSource(credentials, Date.now, idp.fetchImpl);
    await source.token();
    source.invalidate();
    expect(await source.token()).toBe('token-2');
  });

  it('says which client was refused, without the secret', async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ error: 'unauthorized_client' }), {
        status: 401,
      })) as unknown as typeof fetch;
    const source = new ServiceTokenSource(credentials, Date.now, fetchImpl);
    await expect(source.token()).rejects.toThrow(
      'client credentials token for attest-orchestrator refused: HTTP 401 (unauthorized_client)',
    );
    await expect(source.token()).rejects.not.toThrow(/s3cret/);
  });
});
