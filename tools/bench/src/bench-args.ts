/** Command-line options of the benchmark scripts: `--events 10000,100000`, `--rate 1000`, `--stages`. */

/** The value after `--name`, or undefined when the option is absent. */
function optionValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

/** `--name 1,2,3`: a comma-separated list of positive integers. */
export function integerListOption(argv: string[], name: string, fallback: number[]): number[] {
  const value = optionValue(argv, name);
  if (value === undefined) return fallback;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(
      `--${name} takes a comma-separated list of positive integers, e.g. --${name} ${fallback.join(',')}`,
    );
  }
  return list;
}

/** `--name 20`: one positive number. */
export function numberOption(argv: string[], name: string, fallback: number): number {
  const value = optionValue(argv, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} takes a positive number, e.g. --${name} ${fallback}`);
  return n;
}

/** `--name text`: one string. */
export function stringOption(argv: string[], name: string, fallback: string): string {
  return optionValue(argv, name) ?? fallback;
}

export function flag(argv: string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

/** `--events 10000,100000` style arguments for the benchmark scripts. */
export function eventCounts(argv: string[], fallback: number[]): number[] {
  return integerListOption(argv, 'events', fallback);
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ev/s`;
}
