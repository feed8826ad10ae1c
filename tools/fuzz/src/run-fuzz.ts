import { CI_BUDGET, describeFailures, fuzzService, isClean } from './api-fuzz';
import { FUZZ_TARGETS } from './fuzz-targets';

/**
 * `npx nx run fuzz:run [-- service...]`: fuzzes the services (all by default) with the CI budget and prints what
 * failed; ATTEST_FUZZ_SEED and ATTEST_FUZZ_MAX_EXAMPLES explore beyond it.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const targets = wanted.length ? FUZZ_TARGETS.filter((t) => wanted.includes(t.service)) : FUZZ_TARGETS;
  if (targets.length !== (wanted.length || FUZZ_TARGETS.length))
    throw new Error(`unknown service; known: ${FUZZ_TARGETS.map((t) => t.service).join(', ')}`);
  const maxExamples = Number(process.env['ATTEST_FUZZ_MAX_EXAMPLES'] ?? CI_BUDGET.maxExamples);
  const budget = {
    seed: Number(process.env['ATTEST_FUZZ_SEED'] ?? CI_BUDGET.seed),
    maxExamples,
    timeoutMs: (CI_BUDGET.timeoutMs * Math.max(maxExamples, CI_BUDGET.maxExamples)) / CI_BUDGET.maxExamples,
  };
  if (!Number.isSafeInteger(budget.seed) || !Number.isSafeInteger(maxExamples) || maxExamples < 1)
    throw new Error('ATTEST_FUZZ_SEED and ATTEST_FUZZ_MAX_EXAMPLES must be integers (the latter at least 1)');
  // Ctrl-C stops the run in progress, which still removes its database, topic and consumer group.
  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
  let failed = false;
  for (const target of targets) {
    const report = await fuzzService(target, budget, abort.signal);
    const clean = isClean(report);
    failed ||= !clean;
    const passes = report.passes.map(
      (p) =>
        `as ${p.caller}: ${p.generated} generated requests on ${p.operations.tested} operations in ${p.seconds} s`,
    );
    console.log(clean ? `${report.service}: clean; ${passes.join('; ')}` : describeFailures(report));
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
