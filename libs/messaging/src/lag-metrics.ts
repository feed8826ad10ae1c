import type { ConsumerLagReport } from './consumer-lag';

/**
 * Consumer lag in Prometheus text format: one `attest_consumer_lag{group,topic,partition}` gauge line per
 * partition and one `attest_consumer_lag_total{group}` per group.
 */
export function lagMetrics(reports: ConsumerLagReport | ConsumerLagReport[]): string {
  const list = Array.isArray(reports) ? reports : [reports];
  const lines = [
    '# HELP attest_consumer_lag Records a consumer group has yet to read, per partition.',
    '# TYPE attest_consumer_lag gauge',
  ];
  for (const r of list) {
    for (const p of r.partitions) {
      lines.push(
        `attest_consumer_lag{group="${label(r.groupId)}",topic="${label(p.topic)}",partition="${p.partition}"} ${p.lag}`,
      );
    }
  }
  lines.push(
    '# HELP attest_consumer_lag_total Records a consumer group has yet to read, over all its partitions.',
    '# TYPE attest_consumer_lag_total gauge',
  );
  for (const r of list) lines.push(`attest_consumer_lag_total{group="${label(r.groupId)}"} ${r.total}`);
  return `${lines.join('\n')}\n`;
}

/** Escapes a label value as the text format requires: backslash, double quote, newline. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A fixed-width table of a lag report, for the CLI. */
export function lagTable(report: ConsumerLagReport): string {
  const rows = [
    ['TOPIC', 'PARTITION', 'COMMITTED', 'HIGH-WATERMARK', 'LAG'],
    ...report.partitions.map((p) => [
      p.topic,
      String(p.partition),
      p.committedOffset === null ? '-' : String(p.committedOffset),
      String(p.highWatermark),
      String(p.lag),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const out = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  out.push('', `group ${report.groupId}: total lag ${report.total}`);
  return `${out.join('\n')}\n`;
}
