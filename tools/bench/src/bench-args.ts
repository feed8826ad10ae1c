/** `--events 10000,100000` style arguments for the benchmark scripts. */
export function eventCounts(argv: string[], fallback: number[]): number[] {
  const i = argv.indexOf('--events');
  if (i < 0) return fallback;
  const counts = (argv[i + 1] ?? '').split(',').map((s) => Number(s.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error('--events takes a comma-separated list of positive integers, e.g. --events 10000,100000');
  }
  return counts;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ev/s`;
}
