import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { format, resolveConfig } from 'prettier';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';

/** What a reader needs to compare two runs: the machine, its load, and the durability settings measured under. */
export interface MachineFacts {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1/5/15-minute load averages when the benchmark started and ended; other work on the machine skews figures. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  postgres: Record<string, string>;
}

export interface BenchReport {
  benchmark: string;
  command: string;
  date: string;
  machine: MachineFacts;
  /** Named figures (throughput, latency percentiles, counts). */
  figures: Record<string, unknown>;
  /** Named ratios, e.g. pipeline / raw kafkajs throughput. */
  ratios: Record<string, number>;
  notes: string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function machineFacts(): Promise<MachineFacts> {
  const client = new Client({ connectionString: postgresDatabaseUrl(infraEndpoints(), 'attest_test') });
  await client.connect();
  const postgres: Record<string, string> = {};
  try {
    for (const setting of [
      'server_version',
      'fsync',
      'synchronous_commit',
      'wal_sync_method',
      'shared_buffers',
      'max_wal_size',
    ]) {
      const r = await client.query<Record<string, string>>(`SHOW ${setting}`);
      postgres[setting] = Object.values(r.rows[0])[0];
    }
  } finally {
    await client.end();
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map(round),
    postgres,
  };
}

/** A report for `benchmark`, started now; fill `figures` and `ratios`, then `writeReport`. */
export async function newReport(benchmark: string, script: string): Promise<BenchReport> {
  const args = process.argv.slice(2);
  return {
    benchmark,
    command: `npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: await machineFacts(),
    figures: {},
    ratios: {},
    notes: [],
  };
}

/** docs/benchmarks/<benchmark>.json, numbers rounded to two decimals, formatted as the repository's prettier does. */
export async function writeReport(report: BenchReport): Promise<string> {
  report.machine.loadAverageAtEnd = os.loadavg().map(round);
  const dir = path.resolve(__dirname, '../../../docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.benchmark}.json`);
  const text = JSON.stringify(report, (_key, value: unknown) =>
    typeof value === 'number' ? round(value) : value,
  );
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
  return path.relative(process.cwd(), file);
}

/** Load averages now, printed next to each figure so a noisy run shows itself. */
export function loadNow(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
