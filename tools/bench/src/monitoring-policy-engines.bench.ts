import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CelInput, celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from '@bufbuild/re2';
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { Fact } from '@attest/collectors';
import { numberOption } from './bench-args';
import { newReport, writeReport } from './bench-report';
import { ENGINE_CASES, type EngineCase, regoModule, syntheticFacts } from './monitoring-engine-cases';

/**
 * Which policy engine the monitoring service evaluates its tests with: CEL (`@bufbuild/cel`, in-process JS) or Rego
 * compiled to WebAssembly (`opa build -t wasm`, run with `@open-policy-agent/opa-wasm`), on the same five tests and
 * the same facts, compiled once, evaluated in this process.
 * Run: npm run bench:policy-engines [-- --facts 1000 --rounds 5 --ms 400]
 * Figures go to stdout and to docs/benchmarks/policy-engines.json. The `opa` CLI is built by
 * infra/local/opa/install-opa.sh (go install, first run only); nothing outside this benchmark uses it.
 */

const ROOT = path.resolve(__dirname, '../../..');

interface Measured {
  evaluations: number;
  wallMs: number;
  cpuMs: number;
}

/** Calls `run` (which returns how many evaluations it did) until `minMs` of wall time have passed. */
function measure(run: () => number, minMs: number): Measured {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let evaluations = 0;
  while (performance.now() - start < minMs) evaluations += run();
  const used = process.cpuUsage(cpu);
  return { evaluations, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function opaWasm(cases: readonly EngineCase[]): Buffer {
  const opa = execFileSync('bash', [path.join(ROOT, 'infra/local/opa/install-opa.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .toString()
    .trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-rego-'));
  try {
    writeFileSync(path.join(dir, 'tests.rego'), regoModule(cases));
    const entrypoints = cases.flatMap((c) => [
      '-e',
      `attest/tests/${c.rule}`,
      '-e',
      `attest/tests/${c.rule}_failing`,
    ]);
    execFileSync(opa, ['build', '-t', 'wasm', ...entrypoints, '-o', 'bundle.tar.gz', 'tests.rego'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    execFileSync('tar', ['-xzf', 'bundle.tar.gz', '/policy.wasm'], { cwd: dir, stdio: 'ignore' });
    return readFileSync(path.join(dir, 'policy.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Engines {
  cel(c: EngineCase, fact: Fact): boolean;
  /** CEL with compiled regexes kept: @bufbuild/cel compiles a `matches()` pattern on every call by default. */
  celCachedRe2(c: EngineCase, fact: Fact): boolean;
  rego(c: EngineCase, fact: Fact): boolean;
  /** Resource ids failing the test, all facts in one call. */
  regoBatch(c: EngineCase, facts: Fact[]): string[];
}

function cachedRe2(): { compile(pattern: string): RE2JS } {
  const compiled = new Map<string, RE2JS>();
  return {
    compile(pattern) {
      let re = compiled.get(pattern);
      if (!re) compiled.set(pattern, (re = RE2JS.compile(pattern)));
      return re;
    },
  };
}

function celEngine(env: ReturnType<typeof celEnv>): (c: EngineCase, fact: Fact) => boolean {
  const plans = new Map(ENGINE_CASES.map((c) => [c.testId, plan(env, parse(c.cel))]));
  return (c, fact) => {
    const program = plans.get(c.testId);
    if (!program) throw new Error(`no CEL plan for ${c.testId}`);
    // A fact is JSON: CEL reads its objects as maps, its numbers as doubles.
    const result = program({ resource: fact as unknown as CelInput });
    if (isCelError(result)) throw new Error(`${c.testId} on ${fact.resourceId}: ${result.message}`);
    return result === true;
  };
}

function engines(policy: LoadedPolicy): Engines {
  const entrypoints = policy.entrypoints as Record<string, number>;
  const entry = (name: string) => {
    const id = entrypoints[`attest/tests/${name}`];
    if (id === undefined) throw new Error(`the wasm has no entrypoint ${name}`);
    return id;
  };
  const perFact = new Map(ENGINE_CASES.map((c) => [c.testId, entry(c.rule)]));
  const batch = new Map(ENGINE_CASES.map((c) => [c.testId, entry(`${c.rule}_failing`)]));
  return {
    cel: celEngine(celEnv({ funcs: strings })),
    celCachedRe2: celEngine(celEnv({ funcs: strings, re2: cachedRe2() })),
    rego(c, fact) {
      const [result] = policy.evaluate({ resource: fact }, perFact.get(c.testId)) as { result: boolean }[];
      return result.result;
    },
    regoBatch(c, facts) {
      const [result] = policy.evaluate({ resources: facts }, batch.get(c.testId)) as { result: string[] }[];
      return result.result;
    },
  };
}

/** Both engines must give every fact the same outcome, else the rates compare different work. */
function checkAgreement(e: Engines, workload: Workload): Record<string, number> {
  const failing: Record<string, number> = {};
  for (const { c, facts } of workload) {
    const celFailing = facts.filter((f) => !e.cel(c, f)).map((f) => f.resourceId);
    const others = {
      'CEL cached RE2': facts.filter((f) => !e.celCachedRe2(c, f)).map((f) => f.resourceId),
      Rego: facts.filter((f) => !e.rego(c, f)).map((f) => f.resourceId),
      'Rego batch': e.regoBatch(c, facts),
    };
    const key = (ids: string[]) => [...ids].sort().join('\n');
    for (const [engine, ids] of Object.entries(others))
      if (key(ids) !== key(celFailing))
        throw new Error(`${c.testId}: ${engine} fails ${ids.length} facts, CEL ${celFailing.length}`);
    if (celFailing.length === 0 || celFailing.length === facts.length)
      throw new Error(`${c.testId}: the synthetic facts must both pass and fail it`);
    failing[c.testId] = celFailing.length / facts.length;
  }
  return failing;
}

/** Each test with the facts of the type it reads (the same facts for tests of the same type: same seed). */
type Workload = { c: EngineCase; facts: Fact[] }[];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const factCount = numberOption(argv, 'facts', 1000);
  const rounds = numberOption(argv, 'rounds', 5);
  const minMs = numberOption(argv, 'ms', 400);
  const report = await newReport('policy-engines', 'bench:policy-engines');

  const started = performance.now();
  const wasm = opaWasm(ENGINE_CASES);
  const policy = await loadPolicy(wasm);
  const e = engines(policy);
  const workload: Workload = ENGINE_CASES.map((c) => ({
    c,
    facts: syntheticFacts(c.resourceType, factCount),
  }));
  const failShare = checkAgreement(e, workload);
  console.log(`opa wasm built and loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  type Mode = 'cel' | 'celCachedRe2' | 'rego' | 'regoBatch';
  const perFact =
    (evaluate: (c: EngineCase, fact: Fact) => boolean) => (c: EngineCase, facts: Fact[]) => () => {
      for (const f of facts) evaluate(c, f);
      return facts.length;
    };
  const runs: Record<Mode, (c: EngineCase, facts: Fact[]) => () => number> = {
    cel: perFact(e.cel),
    celCachedRe2: perFact(e.celCachedRe2),
    rego: perFact(e.rego),
    regoBatch: (c, facts) => () => e.regoBatch(c, facts) && facts.length,
  };
  const modes = Object.keys(runs) as Mode[];
  // Warm-up: let V8 optimise both sides before any clock counts.
  for (const mode of modes) for (const { c, facts } of workload) measure(runs[mode](c, facts), 150);

  // Rounds interleave the engines (order rotated each round), so a load spike on this shared machine hits all.
  // A round's rate is that of the mix the service runs, every test once on every fact: tests × facts over the sum
  // of each test's time per fact (a slow test weighs as much as it costs, not as much as the clock gave it).
  const perRound: Record<Mode, { wall: number[]; cpu: number[] }> = {
    cel: { wall: [], cpu: [] },
    celCachedRe2: { wall: [], cpu: [] },
    rego: { wall: [], cpu: [] },
    regoBatch: { wall: [], cpu: [] },
  };
  const perTest: Record<Mode, Record<string, number[]>> = {
    cel: {},
    celCachedRe2: {},
    rego: {},
    regoBatch: {},
  };
  for (let round = 0; round < rounds; round++) {
    const order = modes.map((_, i) => modes[(i + round) % modes.length]);
    for (const mode of order) {
      let wallMsPerEvaluation = 0;
      let cpuMsPerEvaluation = 0;
      for (const { c, facts } of workload) {
        const m = measure(runs[mode](c, facts), minMs);
        wallMsPerEvaluation += m.wallMs / m.evaluations;
        cpuMsPerEvaluation += m.cpuMs / m.evaluations;
        (perTest[mode][c.testId] ??= []).push((m.evaluations / m.wallMs) * 1000);
      }
      perRound[mode].wall.push((ENGINE_CASES.length / wallMsPerEvaluation) * 1000);
      perRound[mode].cpu.push((ENGINE_CASES.length / cpuMsPerEvaluation) * 1000);
    }
  }

  const figure = (mode: Mode) => ({
    evaluationsPerSecond: median(perRound[mode].wall),
    evaluationsPerCpuSecond: median(perRound[mode].cpu),
    perTestEvaluationsPerSecond: Object.fromEntries(
      Object.entries(perTest[mode]).map(([testId, rates]) => [testId, median(rates)]),
    ),
  });
  report.figures = {
    tests: ENGINE_CASES.map((c) => ({ testId: c.testId, resourceType: c.resourceType, cel: c.cel })),
    factsPerResourceType: factCount,
    failingShare: failShare,
    wasmBytes: wasm.length,
    cel: figure('cel'),
    celCachedRe2: figure('celCachedRe2'),
    regoWasmPerFact: figure('rego'),
    regoWasmBatch: figure('regoBatch'),
  };
  // Ratios of CPU-second rates: this process is single-threaded, and other work on the shared machine moves its
  // wall-clock rates far more than its CPU cost per evaluation.
  const cpuRatio = (a: Mode, b: Mode) => median(perRound[a].cpu) / median(perRound[b].cpu);
  report.ratios = {
    celOverRegoWasmPerFact: cpuRatio('cel', 'rego'),
    celOverRegoWasmBatch: cpuRatio('cel', 'regoBatch'),
    celCachedRe2OverRegoWasmPerFact: cpuRatio('celCachedRe2', 'rego'),
    celCachedRe2OverRegoWasmBatch: cpuRatio('celCachedRe2', 'regoBatch'),
  };
  report.notes.push(
    `@bufbuild/cel ${packageVersion('@bufbuild/cel')} (planned once per test) vs opa ${opaVersion()} ` +
      `\`opa build -t wasm\` run by @open-policy-agent/opa-wasm ${packageVersion('@open-policy-agent/opa-wasm')}.`,
    'Per fact: one evaluation call per (test, fact), as the monitoring cycle evaluates. Rego batch: one call per test ' +
      'over all facts of its type (input.resources, a set rule of failing ids), the best case for the wasm engine, whose ' +
      'per-call cost is serializing the input to JSON into wasm memory and the result back.',
    'CEL cached RE2: the same CEL with celEnv({ re2 }) keeping each compiled pattern; by default @bufbuild/cel ' +
      'compiles the pattern of matches() on every evaluation.',
    'Every figure is the median over rounds; each round runs every engine on every test for --ms ms, the engines ' +
      'interleaved with the order rotated; before any clock, all engines must agree on every outcome.',
    'An engine figure is the rate of the mix: every test once on every fact (tests over the sum of the per-test ' +
      'times per evaluation).',
  );
  console.log('engine               | evaluations/s | per CPU-second');
  for (const [label, mode] of [
    ['CEL (@bufbuild/cel)', 'cel'],
    ['CEL, cached RE2', 'celCachedRe2'],
    ['Rego wasm, per fact', 'rego'],
    ['Rego wasm, batch', 'regoBatch'],
  ] as const)
    console.log(
      `${label.padEnd(20)} | ${fmt(median(perRound[mode].wall)).padStart(13)} | ${fmt(median(perRound[mode].cpu)).padStart(14)}`,
    );
  console.log(
    `CEL / Rego wasm (per CPU-second): ${report.ratios.celOverRegoWasmPerFact.toFixed(2)}× per fact, ` +
      `${report.ratios.celOverRegoWasmBatch.toFixed(2)}× against the batch; with cached RE2 ` +
      `${report.ratios.celCachedRe2OverRegoWasmPerFact.toFixed(2)}× and ${report.ratios.celCachedRe2OverRegoWasmBatch.toFixed(2)}×`,
  );
  console.log(`wrote ${await writeReport(report)}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function packageVersion(name: string): string {
  return (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

function opaVersion(): string {
  return readFileSync(path.join(ROOT, '.local/bin/opa.version'), 'utf8').trim();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
