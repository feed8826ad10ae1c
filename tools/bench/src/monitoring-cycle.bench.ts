import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { topicFor } from '@attest/event-contracts';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG } from '@attest/messaging';
import { contractExample, publishedRecord, topicEnds } from '@attest/messaging/testing';
import { compileTest, type ResourceFact, type TestDefinition } from '@attest/monitoring-domain';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { ACME, DEMO_USERS, identityProviderSettings, tokenFor } from '@attest/service-kit/testing';
import { numberOption } from './bench-args';
import { loadNow, newReport, writeReport } from './bench-report';
import { cpuPerThousand, sampleCpu } from './cpu-meter';
import { percentile, runFigures } from './latency-stats';
import { steadyRate } from './load';
import { benchFacts, benchTests, failingOn, passingFact } from './monitoring-bench-workload';
import { benchKafka, deleteGroups, dropTopics, freshTopic } from './raw-kafka';

/**
 * The monitoring cycle end to end: the monitoring service as deployed (its main in a child process, real
 * PostgreSQL and Kafka, its own fresh database and evidence topic), a synthetic collector publishing contract-valid
 * `CollectorRunSucceeded` events, and this process reading the monitoring topic the relay publishes to.
 *   1. Throughput: `--runs` runs of `--resources` distinct resources against `--tests` custom tests reading their
 *      type, published at once; time until every (run, test) has all its `TestResultsRecorded` chunks on the topic.
 *      Compared with evaluating the same compiled tests on the same facts in this process (the bare CEL rate).
 *   2. Latency: `--steady-runs` runs over `--steady-resources` resources at `--rate` runs/s, each flipping one
 *      resource to failing (and the previous one back): publish → its `TestFailing` on the monitoring topic. Without
 *      `--rate`, the rate is `--load` (default 0.5) of what the service sustains, from how long the seed run of the
 *      same resources took: latency is measured below saturation, not as a growing queue.
 * Run: npm run bench:monitoring [-- --runs 20 --resources 500 --tests 50 --steady-resources 100 --steady-runs 20]
 * Figures go to stdout and to docs/benchmarks/monitoring.json.
 */

const COLLECTOR_RUN_SUCCEEDED = 'io.attest.evidence.collector-run-succeeded.v1';
const TEST_RESULTS_RECORDED = 'io.attest.monitoring.test-results-recorded.v1';
const TEST_FAILING = 'io.attest.monitoring.test-failing.v1';
const MONITORING_TOPIC = topicFor('monitoring');
const TENANT = ACME;

/** What the bench reads back from the monitoring topic, by run, with the time each record arrived. */
class MonitoringTopicWatcher {
  /** runId → testId → chunk indexes seen (and how many the run has). */
  private readonly chunks = new Map<string, Map<string, { seen: Set<number>; count: number }>>();
  /** runId → when its last chunk arrived (ms, performance.now()). */
  readonly runCompletedAt = new Map<string, number>();
  /** `${runId} ${resourceId}` → when its TestFailing arrived. */
  readonly failingAt = new Map<string, number>();
  private readonly expectedTests: number;

  private constructor(
    private readonly consumer: Consumer,
    private readonly groupId: string,
    expectedTests: number,
  ) {
    this.expectedTests = expectedTests;
  }

  /** Reads the topic from its end as it is now, so only what the service publishes from here on is seen. */
  static async start(expectedTests: number): Promise<MonitoringTopicWatcher> {
    const groupId = `attest.bench.monitoring-reader.${randomUUID()}`;
    const from = await topicEnds(benchKafka, [MONITORING_TOPIC]);
    const admin = benchKafka.admin();
    await admin.connect();
    try {
      for (const [topic, partitions] of Object.entries(from))
        await admin.setOffsets({ groupId, topic, partitions });
    } finally {
      await admin.disconnect();
    }
    const consumer = benchKafka.consumer({
      groupId,
      maxWaitTimeInMs: 50,
      maxBytesPerPartition: 8 * 1024 * 1024,
    });
    const watcher = new MonitoringTopicWatcher(consumer, groupId, expectedTests);
    await consumer.connect();
    await consumer.subscribe({ topics: [MONITORING_TOPIC], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = performance.now();
        for (const message of batch.messages) {
          const header = (name: string) => message.headers?.[name]?.toString();
          if (header('ce_tenantid') !== TENANT || !message.value) continue;
          const type = header('ce_type');
          if (type === TEST_RESULTS_RECORDED)
            watcher.resultsRecorded(JSON.parse(message.value.toString()), at);
          else if (type === TEST_FAILING) {
            const data = JSON.parse(message.value.toString()) as { runId: string; resourceId: string };
            watcher.failingAt.set(`${data.runId} ${data.resourceId}`, at);
          }
        }
      },
    });
    return watcher;
  }

  private resultsRecorded(
    data: { runId: string; testId: string; chunk: { index: number; count: number } },
    at: number,
  ): void {
    let tests = this.chunks.get(data.runId);
    if (!tests) this.chunks.set(data.runId, (tests = new Map()));
    let chunks = tests.get(data.testId);
    if (!chunks) tests.set(data.testId, (chunks = { seen: new Set(), count: data.chunk.count }));
    chunks.seen.add(data.chunk.index);
    if (
      tests.size === this.expectedTests &&
      [...tests.values()].every((c) => c.seen.size === c.count) &&
      !this.runCompletedAt.has(data.runId)
    )
      this.runCompletedAt.set(data.runId, at);
  }

  async waitForRuns(runIds: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!runIds.every((id) => this.runCompletedAt.has(id))) {
      if (Date.now() > deadline) {
        const done = runIds.filter((id) => this.runCompletedAt.has(id)).length;
        throw new Error(
          `only ${done} of ${runIds.length} runs had all their results after ${timeoutMs / 1000} s`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitForFailing(keys: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!keys.every((k) => this.failingAt.has(k))) {
      if (Date.now() > deadline) {
        const missing = keys.filter((k) => !this.failingAt.has(k)).length;
        throw new Error(
          `${missing} of ${keys.length} TestFailing events missing after ${timeoutMs / 1000} s`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await deleteGroups([this.groupId]);
  }
}

/** A collector run as the evidence service publishes it, checked against the event's contract. */
async function publishRun(
  producer: Producer,
  topic: string,
  runId: string,
  facts: ResourceFact[],
): Promise<void> {
  const data = contractExample(COLLECTOR_RUN_SUCCEEDED, {
    runId,
    collectorId: 'bench-synthetic',
    facts,
    evidenceItemIds: [],
    finishedAt: new Date().toISOString(),
    actor: { type: 'system', id: 'system:collector-scheduler' },
  });
  const { message } = publishedRecord({ topic, tenantId: TENANT, ceType: COLLECTOR_RUN_SUCCEEDED, data });
  await producer.send({ topic, messages: [message] });
}

async function defineTests(baseUrl: string, tests: TestDefinition[]): Promise<void> {
  for (const test of tests) {
    const response = await fetch(`${baseUrl}/v1/tests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(DEMO_USERS.manager)}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(test),
    });
    if (response.status !== 201)
      throw new Error(`POST /v1/tests ${test.testId} answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * The same compiled tests on the same facts in this process: what evaluation alone costs. Whole passes over the
 * facts, after a warm-up pass, until a second has passed.
 */
function bareEvaluationRate(
  tests: TestDefinition[],
  facts: ResourceFact[],
): { perSecond: number; perCpuSecond: number } {
  const compiled = tests.map(compileTest);
  const pass = () => {
    for (const test of compiled) for (const fact of facts) test.evaluate(fact);
    return compiled.length * facts.length;
  };
  pass();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let evaluations = 0;
  while (performance.now() - started < 1000) evaluations += pass();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: (evaluations / wallMs) * 1000,
    perCpuSecond: (evaluations / ((used.user + used.system) / 1000)) * 1000,
  };
}

/** The service's own topics and groups: only the benchmark's runs reach it, nothing of other services' topics. */
interface ServiceKafka {
  evidenceTopic: string;
  controlTopic: string;
  groups: string[];
}

/** The service's main in a child process, quiet (warnings only), ready when /health/ready answers 200. */
async function startMonitoring(
  db: TestDatabase,
  kafka: ServiceKafka,
): Promise<{ service: ChildService; url: string }> {
  const identity = identityProviderSettings();
  const port = await freePort();
  const service = startChildService('apps/monitoring/src/main.ts', {
    // Tokens of the local identity provider, as the demo users get them.
    ATTEST_OIDC_ISSUER: identity.issuer,
    ATTEST_OIDC_AUDIENCE: identity.audience,
    ATTEST_OIDC_JWKS_URI: identity.jwksUri,
    ATTEST_HTTP_PORT: String(port),
    ATTEST_MONITORING_DATABASE: db.name,
    ATTEST_MONITORING_EVIDENCE_TOPIC: kafka.evidenceTopic,
    ATTEST_MONITORING_CONSUMER_GROUP: kafka.groups[0],
    ATTEST_MONITORING_CONTROL_MAPPING_TOPIC: kafka.controlTopic,
    ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: kafka.groups[1],
    ATTEST_LOG_LEVEL: 'warn',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { service, url };
    if (service.process.exitCode !== null || Date.now() > deadline) {
      await service.stop();
      throw new Error(`the monitoring service did not get ready: ${service.stderr.join('').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runs = numberOption(argv, 'runs', 20);
  const resources = numberOption(argv, 'resources', 500);
  const testCount = numberOption(argv, 'tests', 50);
  const failShare = numberOption(argv, 'fail-share', 0.02);
  const steadyRuns = numberOption(argv, 'steady-runs', 20);
  const steadyLoad = numberOption(argv, 'load', 0.5);
  const steadyResources = numberOption(argv, 'steady-resources', 100);
  const report = await newReport('monitoring', 'bench:monitoring');
  const tests = benchTests(testCount);

  const db = await createTestDatabase('attest_bench_monitoring');
  const kafka: ServiceKafka = {
    evidenceTopic: await freshTopic('evidence'),
    controlTopic: await freshTopic('control-mapping'),
    groups: [`attest.bench.monitoring.${randomUUID()}`, `attest.bench.monitoring-controls.${randomUUID()}`],
  };
  const { evidenceTopic } = kafka;
  const producer = benchKafka.producer(ATTEST_PRODUCER_CONFIG);
  await producer.connect();
  let service: ChildService | undefined;
  let watcher: MonitoringTopicWatcher | undefined;
  try {
    const running = await startMonitoring(db, kafka);
    service = running.service;
    const baseUrl = running.url;
    const servicePid = service.process.pid ?? 0;
    await defineTests(baseUrl, tests);
    const topic = await MonitoringTopicWatcher.start(testCount);
    watcher = topic;

    // Warm-up: the consumer joins, the tests compile, the relay starts publishing; no clock runs.
    const warmUp = randomUUID();
    await publishRun(producer, evidenceTopic, warmUp, benchFacts(-1, 20, testCount, failShare));
    await watcher.waitForRuns([warmUp], 120_000);

    // 1. Throughput: a first cycle (every resource new to every test), then the next cycle over the same resources.
    const cycle = async (round: number) => {
      const runFacts = Array.from({ length: runs }, (_, r) =>
        benchFacts(r, resources, testCount, failShare, round),
      );
      const runIds = runFacts.map(() => randomUUID());
      const cpuBefore = await sampleCpu(db.pool, db.name, { monitoringService: servicePid });
      const started = performance.now();
      const publishedAt: number[] = [];
      for (let r = 0; r < runs; r++) {
        publishedAt.push(performance.now());
        await publishRun(producer, evidenceTopic, runIds[r], runFacts[r]);
      }
      await topic.waitForRuns(runIds, 30 * 60_000);
      const completedAt = (id: string) => topic.runCompletedAt.get(id) ?? Number.NaN;
      const elapsedMs = Math.max(...runIds.map(completedAt)) - started;
      const cpuAfter = await sampleCpu(db.pool, db.name, { monitoringService: servicePid });
      const runLatencies = runIds.map((id, r) => completedAt(id) - publishedAt[r]);
      const rate = (evaluations / elapsedMs) * 1000;
      console.log(
        `${round === 0 ? 'first cycle' : 'next cycle'}: ${runs} runs × ${resources} resources × ${testCount} tests = ` +
          `${evaluations.toLocaleString('en-US')} results in ${(elapsedMs / 1000).toFixed(1)} s = ` +
          `${Math.round(rate).toLocaleString('en-US')} results/s (load ${loadNow()})`,
      );
      return {
        runFacts,
        rate,
        figures: {
          runs,
          resourcesPerRun: resources,
          tests: testCount,
          failShare,
          results: evaluations,
          seconds: elapsedMs / 1000,
          resultsPerSecond: rate,
          firstRunCompleteMs: Math.min(...runLatencies),
          lastRunCompleteMs: Math.max(...runLatencies),
          cpuMsPerThousandResults: cpuPerThousand(cpuBefore, cpuAfter, evaluations),
        },
      };
    };
    const evaluations = runs * resources * testCount;
    const first = await cycle(0);
    const next = await cycle(1);
    const serviceRate = first.rate;
    const bare = bareEvaluationRate(tests, first.runFacts.flat());
    console.log(
      `bare CEL ${Math.round(bare.perSecond).toLocaleString('en-US')} evaluations/s → first cycle ratio ` +
        `${(first.rate / bare.perSecond).toFixed(3)}, next cycle ratio ${(next.rate / bare.perSecond).toFixed(3)}`,
    );
    report.figures['throughput'] = first.figures;
    report.figures['nextCycle'] = next.figures;
    report.figures['bareCel'] = {
      evaluationsPerSecond: bare.perSecond,
      evaluationsPerCpuSecond: bare.perCpuSecond,
    };
    report.ratios['serviceOverBareCel'] = first.rate / bare.perSecond;
    report.ratios['nextCycleOverBareCel'] = next.rate / bare.perSecond;

    // 2. Latency: seed the steady resources (all passing), then flip one per run.
    const steadyBase = Array.from({ length: steadyResources }, (_, i) =>
      passingFact(`steady-${i}`, testCount),
    );
    const seed = randomUUID();
    const seedStarted = performance.now();
    await publishRun(producer, evidenceTopic, seed, steadyBase);
    await watcher.waitForRuns([seed], 5 * 60_000);
    const seedMs = (watcher.runCompletedAt.get(seed) ?? Number.NaN) - seedStarted;
    const rate = argv.includes('--rate') ? numberOption(argv, 'rate', 1) : (steadyLoad * 1000) / seedMs;
    const durationS = steadyRuns / rate;
    const runCompletionMs: number[] = [];
    const runIdsSent: { runId: string; at: number }[] = [];
    const latencies: number[] = [];
    const failingKeys: string[] = [];
    const sentAt = new Map<string, number>();
    const steadyCpuBefore = await sampleCpu(db.pool, db.name, { monitoringService: servicePid });
    const steadyStarted = performance.now();
    const load = await steadyRate({
      rate,
      durationS,
      perCall: 1,
      call: async (seq, _count, scheduledAt) => {
        const runId = randomUUID();
        const flipped = seq % steadyResources;
        const facts = steadyBase.map((f, i) => (i === flipped ? failingOn(f, 0) : f));
        const key = `${runId} ${facts[flipped].resourceId}`;
        failingKeys.push(key);
        sentAt.set(key, scheduledAt);
        runIdsSent.push({ runId, at: scheduledAt });
        await publishRun(producer, evidenceTopic, runId, facts);
      },
    });
    await watcher.waitForFailing(failingKeys, 10 * 60_000);
    await watcher.waitForRuns(
      runIdsSent.map((r) => r.runId),
      10 * 60_000,
    );
    for (const { runId, at } of runIdsSent)
      runCompletionMs.push((watcher.runCompletedAt.get(runId) ?? Number.NaN) - at);
    const completion = {
      p50Ms: percentile(runCompletionMs, 0.5),
      p99Ms: percentile(runCompletionMs, 0.99),
      maxMs: percentile(runCompletionMs, 1),
    };
    const steadyMs = performance.now() - steadyStarted;
    const steadyCpuAfter = await sampleCpu(db.pool, db.name, { monitoringService: servicePid });
    for (const key of failingKeys)
      latencies.push((watcher.failingAt.get(key) ?? Number.NaN) - (sentAt.get(key) ?? Number.NaN));
    const steady = runFigures(load.events, steadyMs, latencies);
    const steadyEvaluationsPerSecond = rate * steadyResources * testCount;
    console.log(
      `latency: ${load.events} runs of ${steadyResources} resources at ${rate.toFixed(3)} runs/s (seed run took ` +
        `${(seedMs / 1000).toFixed(1)} s): fact → TestFailing p50 ${steady.p50Ms.toFixed(0)} ms, ` +
        `p99 ${steady.p99Ms.toFixed(0)} ms, max ${steady.maxMs.toFixed(0)} ms; whole run (every test's results) ` +
        `p50 ${completion.p50Ms.toFixed(0)} ms, p99 ${completion.p99Ms.toFixed(0)} ms (load ${loadNow()})`,
    );
    report.figures['latency'] = {
      runsPerSecond: rate,
      rateFrom: argv.includes('--rate') ? '--rate' : `--load ${steadyLoad} of 1 / seed run time`,
      seedRunMs: seedMs,
      resourcesPerRun: steadyResources,
      seconds: durationS,
      runs: load.events,
      lateStarts: load.lateStarts,
      evaluationsPerSecond: steadyEvaluationsPerSecond,
      shareOfMeasuredThroughput: steadyEvaluationsPerSecond / serviceRate,
      factToTestFailingMs: { p50: steady.p50Ms, p95: steady.p95Ms, p99: steady.p99Ms, max: steady.maxMs },
      publishToRunCompleteMs: { p50: completion.p50Ms, p99: completion.p99Ms, max: completion.maxMs },
      cpuMsPerThousandEvaluations: cpuPerThousand(
        steadyCpuBefore,
        steadyCpuAfter,
        load.events * steadyResources * testCount,
      ),
    };
    report.notes.push(
      `Tests: ${testCount} custom tests (POST /v1/tests) over one synthetic resource type, each reading its own attribute ` +
        'in one of five shapes (boolean, set membership, all() over a list, null-or-value, RE2 matches), with a details ' +
        `expression; each fact fails each test with probability ${failShare} (throughput phase).`,
      'Next cycle: the same resources again (new run ids, fresh fail rolls, so ~2% of results start failing and as ' +
        'many recover); only changed results are recorded, so this is the cost of every cycle after the first.',
      'Throughput: the runs are published back to back to the service’s own evidence topic; a run counts when every ' +
        'test’s TestResultsRecorded chunks for it are on attest.monitoring.events.v1 (relayed from the service’s outbox, ' +
        'after its consumer transaction committed). Results/s = runs × resources × tests over first publish → last chunk.',
      'Bare CEL: the same tests compiled once with compileTest (@attest/monitoring-domain) and evaluated on the same ' +
        'facts in this process, whole passes for one second after a warm-up pass.',
      'Latency: open loop (a late run is not waited for) at the rate given, or at --load of the rate the seed run ' +
        '(the same resources, all new to the tests) shows the service sustains; each run carries the steady ' +
        'resources, one of them failing test 0 and the one before it passing again; latency = the run’s scheduled ' +
        'publish → its TestFailing read from the monitoring topic by this process, and → its last test’s results.',
      'CPU ms per 1,000 evaluations of the service process, the PostgreSQL backends of ' +
        'its database and the Kafka broker (shared with everything else on the machine).',
    );
    console.log(`wrote ${await writeReport(report)}`);
  } finally {
    await watcher?.stop().catch(() => undefined);
    await producer.disconnect();
    await service?.stop();
    await deleteGroups(kafka.groups);
    await dropTopics([kafka.evidenceTopic, kafka.controlTopic]);
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
