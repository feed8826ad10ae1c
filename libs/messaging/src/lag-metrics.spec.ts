import type { ConsumerLagReport } from './consumer-lag';
import { lagMetrics, lagTable } from './lag-metrics';

const report: ConsumerLagReport = {
  groupId: 'evidence-projector',
  partitions: [
    { topic: 'attest.evidence.events.v1', partition: 0, committedOffset: 10, highWatermark: 14, lag: 4 },
    { topic: 'attest.evidence.events.v1', partition: 1, committedOffset: null, highWatermark: 3, lag: 3 },
  ],
  total: 7,
};

describe('lagMetrics', () => {
  it('prints one Prometheus gauge line per partition and a total per group', () => {
    expect(lagMetrics(report).split('\n')).toEqual([
      '# HELP attest_consumer_lag Records a consumer group has yet to read, per partition.',
      '# TYPE attest_consumer_lag gauge',
      'attest_consumer_lag{group="evidence-projector",topic="attest.evidence.events.v1",partition="0"} 4',
      'attest_consumer_lag{group="evidence-projector",topic="attest.evidence.events.v1",partition="1"} 3',
      '# HELP attest_consumer_lag_total Records a consumer group has yet to read, over all its partitions.',
      '# TYPE attest_consumer_lag_total gauge',
      'attest_consumer_lag_total{group="evidence-projector"} 7',
      '',
    ]);
  });

  it('escapes label values and takes several groups', () => {
    const odd = { ...report, groupId: 'a"b\\c\nd', partitions: [report.partitions[0]], total: 4 };
    const text = lagMetrics([odd, { groupId: 'idle', partitions: [], total: 0 }]);
    expect(text).toContain(
      'attest_consumer_lag{group="a\\"b\\\\c\\nd",topic="attest.evidence.events.v1",partition="0"} 4',
    );
    expect(text).toContain('attest_consumer_lag_total{group="idle"} 0');
  });
});

describe('lagTable', () => {
  it('lines up the columns and shows a missing commit as "-"', () => {
    expect(lagTable(report)).toBe(
      [
        'TOPIC                      PARTITION  COMMITTED  HIGH-WATERMARK  LAG',
        'attest.evidence.events.v1  0          10         14              4',
        'attest.evidence.events.v1  1          -          3               3',
        '',
        'group evidence-projector: total lag 7',
        '',
      ].join('\n'),
    );
  });
});
