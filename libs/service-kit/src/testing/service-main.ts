import { deadLetterTopic } from '@attest/messaging';
import { cleanUpKafka, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort } from '../free-port';
import { startChildService, type ChildService } from '../service-process';
import { identityProviderSettings } from './identity-provider';

/**
 * A service's main as it runs in production, for each service's main.int.spec: a child process configured from the
 * environment, talked to over HTTP, stopped by a signal.
 */
export interface ServiceMain {
  service: ChildService;
  url: string;
  /** The body of the first 200 answer of GET /health/ready. */
  ready: Record<string, unknown>;
}

/**
 * Starts `main` with the local identity provider, a free port and `env` (its database, topics and groups; a key set
 * here overrides those settings) and waits until it is ready: asked until then (each Kafka check has 2 s and no
 * retry; right after a start, or on a loaded machine, one check may miss it), within a deadline.
 */
export async function startServiceMain(main: string, env: Record<string, string>): Promise<ServiceMain> {
  const idp = identityProviderSettings();
  const service = startChildService(main, {
    ATTEST_OIDC_ISSUER: idp.issuer,
    ATTEST_OIDC_AUDIENCE: idp.audience,
    ATTEST_OIDC_JWKS_URI: idp.jwksUri,
    ATTEST_HTTP_PORT: String(await freePort()),
    ...env,
  });
  try {
    const url = await service.url();
    const ready = await waitFor('GET /health/ready to answer 200 ready', async () => {
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
    });
    return { service, url, ready };
  } catch (err) {
    // The caller never got hold of the process: it is not left running.
    await service.stop('SIGKILL');
    throw err;
  }
}

/**
 * Starts `main` with settings each of which is invalid and expects it to refuse: exit code 1, every one of them named
 * on stderr (all problems reported at once, not the first only).
 */
export async function expectStartRefused(main: string, invalid: Record<string, string>): Promise<void> {
  const bad = startChildService(main, invalid);
  expect(await bad.exited).toEqual({ code: 1, signal: null });
  const message = bad.stderr.join('');
  for (const name of Object.keys(invalid)) expect(message).toContain(name);
}

/** Waits until each of the consumer groups has joined on the broker (each consumed topic has its own group). */
export async function expectGroupsJoined(groups: readonly string[]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await waitFor(`consumer groups ${groups.join(', ')} to join`, async () => {
      const { groups: listed } = await admin.listGroups();
      return groups.every((g) => listed.some((l) => l.groupId === g)) || null;
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Stops the service with SIGTERM and expects it to end by that signal (Nest closes the app, then re-raises it),
 * every JSON line it logged being the service's `name`, with a level and a time. Answers those lines.
 */
export async function expectDrainedOnSigterm(
  service: ChildService,
  name: string,
): Promise<Record<string, unknown>[]> {
  expect(await service.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
  const json = service.lines.filter((l): l is Record<string, unknown> => typeof l === 'object');
  for (const line of json)
    expect(line).toMatchObject({ service: name, level: expect.any(String), time: expect.any(String) });
  return json;
}

/**
 * After a main's tests: the process killed if a test left it running, then its topics, its consumer groups and
 * their dead-letter topics deleted.
 */
export async function cleanUpServiceMain(
  main: ServiceMain | undefined,
  topics: readonly string[],
  groups: readonly string[],
): Promise<void> {
  await main?.service.stop('SIGKILL');
  await cleanUpKafka(testKafka(), [...topics, ...groups.map(deadLetterTopic)], [...groups]);
}
