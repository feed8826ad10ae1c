import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';

/**
 * CPU time spent per component during a run. On two cores shared with other work, wall-clock rates swing with the
 * load; CPU time per event hardly does, and it says what a stage costs: with C cores, no pipeline that spends
 * X CPU-ms per event can go faster than C × 1000 / X events/s.
 */
export interface CpuSample {
  /** This Node.js process (user + system). */
  benchProcessMs: number;
  /** Other processes by role (e.g. the relay child), by pid. */
  pids: Record<string, number>;
  /** PostgreSQL backends serving the benchmark's own database (other databases on the server excluded), by pid. */
  postgresBackends: Record<number, number>;
  /** The Kafka broker: shared with whatever else runs on this machine, so an upper bound. */
  kafkaBrokerMs: number;
}

const TICK_MS = 1000 / clockTicksPerSecond();

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a live process, in ms; 0 when it is gone or not readable. */
export function pidCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

let brokerPid: number | null | undefined;

/** The pid listening on the Kafka port, when `ss` can tell (it runs on this machine in the local setup). */
function kafkaBrokerPid(): number | null {
  if (brokerPid !== undefined) return brokerPid;
  try {
    const out = execFileSync('ss', ['-ltnpH', 'sport = :9092']).toString();
    const m = /pid=(\d+)/.exec(out);
    brokerPid = m ? Number(m[1]) : null;
  } catch {
    brokerPid = null;
  }
  return brokerPid;
}

async function backendsCpuMs(admin: Pick<Pool, 'query'>, database: string): Promise<Record<number, number>> {
  const r = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  return Object.fromEntries(r.rows.map((row) => [row.pid, pidCpuMs(row.pid)]));
}

export async function sampleCpu(
  admin: Pick<Pool, 'query'> | null,
  database: string | null,
  pids: Record<string, number> = {},
): Promise<CpuSample> {
  const usage = process.cpuUsage();
  const broker = kafkaBrokerPid();
  return {
    benchProcessMs: (usage.user + usage.system) / 1000,
    pids: Object.fromEntries(Object.entries(pids).map(([role, pid]) => [role, pidCpuMs(pid)])),
    postgresBackends: admin && database ? await backendsCpuMs(admin, database) : {},
    kafkaBrokerMs: broker ? pidCpuMs(broker) : 0,
  };
}

/** CPU ms per 1,000 events between two samples, by component. */
export function cpuPerThousand(before: CpuSample, after: CpuSample, events: number): Record<string, number> {
  const per = (ms: number) => (ms / events) * 1000;
  const out: Record<string, number> = { benchProcess: per(after.benchProcessMs - before.benchProcessMs) };
  for (const role of Object.keys(after.pids)) out[role] = per(after.pids[role] - (before.pids[role] ?? 0));
  // Per backend, so one that started meanwhile counts from zero; one that ended meanwhile is missing (a lower bound).
  let backends = 0;
  for (const [pid, ms] of Object.entries(after.postgresBackends))
    backends += ms - (before.postgresBackends[Number(pid)] ?? 0);
  out['postgresBackends'] = per(backends);
  out['kafkaBrokerShared'] = per(after.kafkaBrokerMs - before.kafkaBrokerMs);
  return out;
}
