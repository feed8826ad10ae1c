/** Where the relay and consumers report what they do; services pass their own (e.g. Nest's Logger). */
export interface MessagingLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per entry on stderr (warnings and errors) and stdout (info). */
export const jsonLinesLogger: MessagingLogger = {
  info: (message, fields) => process.stdout.write(line('info', message, fields)),
  warn: (message, fields) => process.stderr.write(line('warn', message, fields)),
  error: (message, fields) => process.stderr.write(line('error', message, fields)),
};

export const silentLogger: MessagingLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  return `${JSON.stringify({ level, time: new Date().toISOString(), message, ...fields })}\n`;
}

export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.message, errorName: err.name };
  return { error: String(err) };
}
