import { execFileSync } from 'node:child_process';
import { WORKSPACE_ROOT } from '@attest/service-kit';
import { CI_BUDGET, describeFailures, fuzzService, isClean, longestFuzzRunMs } from './api-fuzz';
import { FUZZ_TARGETS } from './fuzz-targets';

// Every step of a run has its own deadline, so a run ends (and cleans up) before the test times out.
jest.setTimeout(Math.max(...FUZZ_TARGETS.map((t) => longestFuzzRunMs(CI_BUDGET, t))) + 10_000);

describe('every service against its own OpenAPI document (schemathesis, real servers)', () => {
  /** The run in progress, stopped by afterEach should its test have failed before the run ended. */
  let running: { abort: AbortController; done: Promise<unknown> } | undefined;

  beforeAll(() => {
    // pip is killed before the hook's timeout rather than left behind.
    execFileSync('bash', ['tools/fuzz/ensure-schemathesis.sh'], {
      cwd: WORKSPACE_ROOT,
      stdio: 'inherit',
      timeout: 280_000,
      killSignal: 'SIGKILL',
    });
  }, 300_000);

  afterEach(async () => {
    running?.abort.abort();
    await running?.done.catch(() => undefined);
    running = undefined;
  }, 90_000);

  it.each(FUZZ_TARGETS.map((t) => [t.service, t] as const))(
    '%s: no server error and no disagreement between document and service',
    async (_service, target) => {
      const abort = new AbortController();
      const done = fuzzService(target, CI_BUDGET, abort.signal);
      running = { abort, done };
      const report = await done;
      if (!isClean(report)) throw new Error(describeFailures(report));
      for (const pass of report.passes) expect(pass.generated).toBeGreaterThan(pass.operations.selected * 10);
    },
  );
});
