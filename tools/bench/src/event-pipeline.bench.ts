import type { ValidateEvent } from '@attest/messaging';
import { AttestPipeline, benchEvents, type RelayStats, streamOf } from './attest-pipeline';
import { flag, eventCounts, formatRate, integerListOption, numberOption } from './bench-args';
import { benchValidator } from './bench-event';
import { loadNow, newReport, writeReport } from './bench-report';
import { cpuPerThousand } from './cpu-meter';
import { payloadOfSize, type RunFigures, runFigures } from './latency-stats';
import { type Payload, rawKafkaSteady, rawKafkaThroughput, timeoutFor } from './raw-kafka';
import { closedLoop, steadyRate } from './load';

/**
 * The event pipeline (append → relay → Kafka → consumer with inbox → read model) next to raw kafkajs produce →
 * consume of the same 1 KiB payloads, in one run; then both at a steady rate, for latency.
 * Run: npm run bench:pipeline [-- --events 10000,100000] [--tenants 4,100] [--rate 1000] [--duration 20]
 *      [--writers 4] [--per-append 20] [--steady-per-append 10] [--no-steady] [--per-event-handler]
 *      [--repeat 3] (raw/pipeline pairs back to back; the pair with the median ratio is reported)
 * Figures go to stdout and to docs/benchmarks/event-pipeline.json.
 */

/** `--per-event-handler`: the consumer's per-event API instead of `handleBatch` (older code has only that). */
const perEventHandler = flag(process.argv, 'per-event-handler');

interface Shape {
  tenants: number;
  writers: number;
  eventsPerAppend: number;
}

type RawRun = Awaited<ReturnType<typeof rawKafkaThroughput>>;

interface PipelineRun extends RunFigures {
  /** Rate at which the writers' appends returned, inside the full run. */
  appendEventsPerSecond: number;
  /** Records the consumer took from Kafka (redeliveries included) and those its inbox skipped. */
  delivered: number;
  duplicates: number;
  /** CPU ms per 1,000 events by component (bench process = writers + consumer). */
  cpuMsPerThousand: Record<string, number>;
  /** How much work each fixed cost was spread over: events per relay batch and per consumer transaction. */
  eventsPerRelayBatch: number;
  eventsPerConsumerTransaction: number;
}

/** Writers append as fast as they can; the run ends when the last event's handler transaction has committed. */
async function pipelineThroughput(
  payloads: Payload[],
  shape: Shape,
  validate: ValidateEvent,
): Promise<PipelineRun> {
  const count = payloads.length;
  const startedAt = new Float64Array(count);
  const pipeline = await AttestPipeline.start(startedAt, validate, { perEventHandler });
  let run: Omit<PipelineRun, 'eventsPerRelayBatch'>;
  let relayStats: RelayStats;
  try {
    const cpuBefore = await pipeline.cpu();
    const start = performance.now();
    await closedLoop({
      writers: shape.writers,
      total: count,
      perCall: shape.eventsPerAppend,
      call: async (w, k, first, n) => {
        startedAt.fill(performance.now(), first, first + n);
        await pipeline.store.append({
          ...streamOf(shape, w, k),
          streamType: 'bench',
          expectedVersion: 'any',
          events: benchEvents(payloads, first, first + n, validate),
        });
      },
    });
    const appendsDone = performance.now();
    await pipeline.clock.until(count, timeoutFor(count));
    const cpu = cpuPerThousand(cpuBefore, await pipeline.cpu(), count);
    const checked = await pipeline.check(count);
    run = {
      ...runFigures(count, pipeline.clock.lastAt - start, pipeline.clock.latencies),
      appendEventsPerSecond: count / ((appendsDone - start) / 1000),
      delivered: checked.delivered,
      duplicates: checked.duplicates,
      cpuMsPerThousand: cpu,
      eventsPerConsumerTransaction: count / pipeline.clock.transactions,
    };
  } finally {
    relayStats = await pipeline.stop();
  }
  return { ...run, eventsPerRelayBatch: relayStats.batches ? count / relayStats.batches : Number.NaN };
}

interface SteadyRun extends RunFigures {
  /** Where the time goes: append start → append returned (committed), → a handler got it, → handler committed. */
  latencyByStage: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }>;
}

/** Appends of `perCall` events at a steady rate (open loop); latency is the append's start → handler commit. */
async function pipelineSteady(
  payloads: Payload[],
  rate: number,
  durationS: number,
  perCall: number,
  tenants: number,
  validate: ValidateEvent,
): Promise<SteadyRun> {
  const total = Math.round(rate * durationS);
  const startedAt = new Float64Array(total);
  const appended: number[] = [];
  const pipeline = await AttestPipeline.start(startedAt, validate, { perEventHandler });
  try {
    let k = 0;
    const start = performance.now();
    await steadyRate({
      rate,
      durationS,
      perCall,
      call: async (first, n, at) => {
        startedAt.fill(at, first, first + n);
        await pipeline.store.append({
          ...streamOf({ tenants, writers: 1 }, 0, k++),
          streamType: 'bench',
          expectedVersion: 'any',
          events: benchEvents(payloads, first, first + n, validate),
        });
        const took = performance.now() - at;
        for (let i = 0; i < n; i++) appended.push(took);
      },
    });
    await pipeline.clock.until(total, timeoutFor(total));
    await pipeline.check(total);
    const figures = runFigures(total, pipeline.clock.lastAt - start, pipeline.clock.latencies);
    const percentiles = (samples: number[]) => {
      const f = runFigures(samples.length, 1, samples);
      return { p50Ms: f.p50Ms, p95Ms: f.p95Ms, p99Ms: f.p99Ms };
    };
    return {
      ...figures,
      latencyByStage: {
        'append returned (committed)': percentiles(appended),
        'a handler got it (relay + Kafka + fetch)': percentiles(pipeline.clock.seenLatencies),
        'handler transaction committed': percentiles(pipeline.clock.latencies),
      },
    };
  } finally {
    await pipeline.stop();
  }
}

const HEADER = 'run                         | events  | throughput   | p50 (ms) | p95 (ms) | p99 (ms) | load';

function row(name: string, f: RunFigures): string {
  const ms = (n: number) => n.toFixed(1).padStart(8);
  return `${name.padEnd(27)} | ${String(f.events).padEnd(7)} | ${formatRate(f.eventsPerSecond).padEnd(12)} | ${ms(f.p50Ms)} | ${ms(f.p95Ms)} | ${ms(f.p99Ms)} | ${loadNow()}`;
}

function describeCpu(cpu: Record<string, number>): string {
  return Object.entries(cpu)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
}

async function main(): Promise<void> {
  const argv = process.argv;
  const counts = eventCounts(argv, [10_000, 100_000]);
  const tenantCounts = integerListOption(argv, 'tenants', [4, 100]);
  const writers = numberOption(argv, 'writers', 4);
  const eventsPerAppend = numberOption(argv, 'per-append', 20);
  const rate = numberOption(argv, 'rate', 1000);
  const durationS = numberOption(argv, 'duration', 20);
  const steadyPerAppend = numberOption(argv, 'steady-per-append', 10);
  const repeat = numberOption(argv, 'repeat', 1);
  const validate = benchValidator();
  const report = await newReport('event-pipeline', 'bench:pipeline');
  report.notes.push(
    'Durable: PostgreSQL defaults (fsync and synchronous_commit on) for every append and every consumer transaction; no setting that trades durability is used.',
    'An event counts when the consumer transaction that ran its handler has COMMITTED, once per event id; the run fails unless the read model counted every event exactly once.',
    'Both sides validate every payload against the same JSON Schema with the same compiled ajv validator, before sending/appending and after receiving.',
    `Pipeline: ${writers} concurrent writers, ${eventsPerAppend} events per append, the relay in its own process (its bin), the consumer (6 partitions in parallel, ${perEventHandler ? 'per-event handler: one upsert per event' : 'handleBatch: one unnest upsert per run of records'}) in the benchmark process.`,
  );

  console.log(HEADER);
  for (const count of counts) {
    // Made before either clock starts, so neither side pays for building them.
    const payloads = Array.from({ length: count }, (_, i) => payloadOfSize(1024, i));
    for (const tenants of tenantCounts) {
      const label = `${count} events, ${tenants} tenants`;
      const pairs: { raw: RawRun; pipeline: PipelineRun; ratio: number; load: string }[] = [];
      for (let r = 0; r < repeat; r++) {
        // Raw kafkajs right before each pipeline run, so both see the machine in the same state.
        const raw = await rawKafkaThroughput(payloads, validate);
        console.log(row(`raw kafkajs`, raw));
        const pipeline = await pipelineThroughput(payloads, { tenants, writers, eventsPerAppend }, validate);
        console.log(row(`attest pipeline, ${tenants} tenants`, pipeline));
        const ratio = pipeline.eventsPerSecond / raw.eventsPerSecond;
        console.log(
          `  ratio ${ratio.toFixed(2)}× raw; appends returned at ${formatRate(pipeline.appendEventsPerSecond)}; ` +
            `consumer took ${pipeline.delivered} records, ${pipeline.duplicates} duplicates skipped; ` +
            `${pipeline.eventsPerRelayBatch.toFixed(1)} events per relay batch, ` +
            `${pipeline.eventsPerConsumerTransaction.toFixed(1)} per consumer transaction`,
        );
        console.log(`  CPU ms per 1,000 events: raw ${describeCpu(raw.cpuMsPerThousand)}`);
        console.log(`                           pipeline ${describeCpu(pipeline.cpuMsPerThousand)}`);
        pairs.push({ raw, pipeline, ratio, load: loadNow() });
      }
      // The pair with the median ratio stands for the lot: each pair ran back to back under the same load.
      const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor((pairs.length - 1) / 2)];
      if (repeat > 1) console.log(`  median ratio of ${repeat} pairs: ${median.ratio.toFixed(2)}×`);
      report.figures[`raw kafkajs, ${count} events, paired with the ${tenants}-tenant pipeline`] = median.raw;
      report.figures[`attest pipeline, ${label}`] = median.pipeline;
      report.ratios[`pipeline / raw kafkajs throughput, ${label}`] = median.ratio;
      if (repeat > 1) report.figures[`all pairs, ${label}`] = pairs;
    }
  }

  if (!flag(argv, 'no-steady')) {
    const total = Math.round(rate * durationS);
    const payloads = Array.from({ length: total }, (_, i) => payloadOfSize(1024, i));
    const tenants = Math.max(...tenantCounts);
    const label = `steady ${rate} ev/s for ${durationS} s, ${steadyPerAppend} events per append`;
    const raw = await rawKafkaSteady(payloads, rate, durationS, steadyPerAppend, validate);
    console.log(row(`raw kafkajs, steady ${rate}/s`, raw));
    const pipeline = await pipelineSteady(payloads, rate, durationS, steadyPerAppend, tenants, validate);
    console.log(row(`attest pipeline, steady ${rate}/s`, pipeline));
    console.log(
      `  p99 append start → handler commit: ${pipeline.p99Ms.toFixed(1)} ms (target < 100 ms), ${tenants} tenants`,
    );
    for (const [stage, p] of Object.entries(pipeline.latencyByStage))
      console.log(
        `  from append start to ${stage}: p50 ${p.p50Ms.toFixed(1)}, p95 ${p.p95Ms.toFixed(1)}, p99 ${p.p99Ms.toFixed(1)} ms`,
      );
    report.figures[`raw kafkajs, ${label}`] = raw;
    report.figures[`attest pipeline, ${label}, ${tenants} tenants`] = pipeline;
  }
  console.log(`figures written to ${await writeReport(report)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
