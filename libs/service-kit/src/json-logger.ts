import { LoggerService } from '@nestjs/common';
import { currentRequestContext } from './request-context';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export interface JsonLoggerOptions {
  /** The service name written on every line. */
  service: string;
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Where a line (with its trailing newline) goes. Default: standard output. */
  write?: (line: string) => void;
  clock?: () => Date;
}

const RESERVED = new Set(['time', 'level', 'service', 'context', 'message']);
const STACK = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * Nest's LoggerService writing one JSON object per line: time (ISO), level, service, context, message, the request's
 * requestId and tenant when logged during a request, then any fields. Services log through Nest's `Logger`
 * (`new Logger(MyService.name).log({ message: 'answer recorded', questionnaireId })`), which reaches this logger.
 * An object message gives its `message` and its other keys as fields; an Error gives `error: { name, message, stack }`.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;
  private readonly out: (line: string) => void;
  private readonly clock: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
    this.out = options.write ?? ((line) => process.stdout.write(line));
    this.clock = options.clock ?? (() => new Date());
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  /** Nest's convention: `error(message, stack?, context?)`. */
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const rest = [...params];
    // Nest passes the context last, as a string.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    let text = '';
    const absorb = (value: unknown, isParam: boolean) => {
      if (value instanceof Error) {
        fields['error'] = describeError(value);
        text ||= value.message;
      } else if (typeof value === 'string') {
        if (isParam && STACK.test(value)) fields['error'] = { ...(fields['error'] as object), stack: value };
        else text = text ? `${text} ${value}` : value;
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'message' || k === 'msg') text ||= String(v);
          else if (v instanceof Error) fields[k] = describeError(v);
          else fields[k] = v;
        }
      } else if (value !== undefined) {
        text = text ? `${text} ${String(value)}` : String(value);
      }
    };
    absorb(message, false);
    for (const param of rest) absorb(param, true);
    const request = currentRequestContext();
    const line: Record<string, unknown> = {
      time: this.clock().toISOString(),
      level,
      service: this.options.service,
      ...(context ? { context } : {}),
      message: text,
      ...(request?.requestId ? { requestId: request.requestId } : {}),
      ...(request?.tenant ? { tenant: request.tenant } : {}),
    };
    for (const [k, v] of Object.entries(fields)) if (!RESERVED.has(k)) line[k] = v;
    this.out(safeStringify(line) + '\n');
  }
}

function describeError(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

/** JSON.stringify that never throws: BigInt as a string, a reference back to an enclosing object as '[Circular]'. */
function safeStringify(value: unknown): string {
  const ancestors: unknown[] = [];
  return JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return v;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(v)) return '[Circular]';
    const out = v instanceof Error ? describeError(v) : v;
    ancestors.push(out);
    return out;
  });
}
