import { ConfigError, infraEndpoints, InfraEndpoints } from '@attest/platform-config';
import { identitySettings, IdentitySettings } from './identity/identity-settings';
import { RATE_LIMIT_DEFAULTS } from './http/rate-limit';
import { LOG_LEVELS, LogLevel } from './json-logger';

type Env = Record<string, string | undefined>;

/** One environment variable: its name, and how its text becomes a value (throwing a message when it cannot). */
export interface Setting<T> {
  env: string;
  parse(raw: string | undefined): T;
}

export type SettingValue<S> = S extends Setting<infer T> ? T : never;

function required<T>(env: string, raw: string | undefined, fallback: T | undefined): string | T {
  if (raw !== undefined && raw !== '') return raw;
  if (fallback !== undefined) return fallback;
  throw new Error(`${env} is required`);
}

/** Builders for a service's own settings. Each takes the variable's name and an optional default. */
export const setting = {
  string(env: string, options: { default?: string; pattern?: RegExp } = {}): Setting<string> {
    return {
      env,
      parse(raw) {
        const value = String(required(env, raw, options.default));
        if (options.pattern && !options.pattern.test(value))
          throw new Error(`${env} must match ${options.pattern}`);
        return value;
      },
    };
  },
  integer(env: string, options: { default?: number; min?: number; max?: number } = {}): Setting<number> {
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    return {
      env,
      parse(raw) {
        const value = required(env, raw, options.default);
        const n = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
        if (!Number.isSafeInteger(n) || n < min || n > max) {
          throw new Error(`${env} must be an integer from ${min} to ${max}, got '${value}'`);
        }
        return n;
      },
    };
  },
  port(env: string, defaultPort?: number): Setting<number> {
    return setting.integer(env, { default: defaultPort, min: 1, max: 65535 });
  },
  oneOf<T extends string>(env: string, values: readonly T[], defaultValue?: T): Setting<T> {
    return {
      env,
      parse(raw) {
        const value = required(env, raw, defaultValue);
        if (!(values as readonly string[]).includes(value)) {
          throw new Error(`${env} must be one of ${values.join(', ')}, got '${value}'`);
        }
        return value as T;
      },
    };
  },
  boolean(env: string, defaultValue?: boolean): Setting<boolean> {
    return {
      env,
      parse(raw) {
        const value = required(env, raw, defaultValue);
        if (typeof value === 'boolean') return value;
        if (value === 'true' || value === '1') return true;
        if (value === 'false' || value === '0') return false;
        throw new Error(`${env} must be true or false, got '${value}'`);
      },
    };
  },
};

/**
 * Reads settings from the environment collecting, instead of throwing, what is wrong with each: `read` and
 * `section` give `undefined` for a bad one, and `check` then throws one ConfigError naming every problem.
 */
export interface SettingsProblems {
  /** One variable's value, or `undefined` (its problem collected). */
  read<T>(s: Setting<T>): T | undefined;
  /** A group of variables read by another module, which reports its problems as one ConfigError. */
  section<T>(load: (env: Env) => T): T | undefined;
  /** Throws one ConfigError listing every problem collected so far, if any. */
  check(): void;
}

export function settingsProblems(env: Env = process.env): SettingsProblems {
  const problems: string[] = [];
  return {
    read(s) {
      try {
        return s.parse(env[s.env]);
      } catch (e) {
        problems.push((e as Error).message);
        return undefined;
      }
    },
    section(load) {
      try {
        return load(env);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.problems);
        return undefined;
      }
    },
    check() {
      if (problems.length) throw new ConfigError(problems);
    },
  };
}

export interface ServiceConfigSchema<S extends Record<string, Setting<unknown>>> {
  /** The service's name, as written on its log lines (e.g. 'readiness'). */
  service: string;
  /** The port the service listens on unless ATTEST_HTTP_PORT says otherwise. */
  httpPort: number;
  /** The service's own settings. */
  settings?: S;
}

export interface ServiceConfig<T> {
  service: string;
  /**
   * ATTEST_HTTP_HOST (default 127.0.0.1; set 0.0.0.0 in a container), ATTEST_HTTP_PORT, and
   * ATTEST_RATE_LIMIT_PER_MINUTE (requests per principal and minute, default 600), all for startService.
   */
  http: { host: string; port: number; rateLimit: { limit: number; windowMs: number } };
  /** ATTEST_LOG_LEVEL: trace, debug, info (default), warn, error, fatal. */
  logLevel: LogLevel;
  /** Where Kafka, Temporal and PostgreSQL are (libs/platform-config). */
  infra: InfraEndpoints;
  settings: T;
  /** ATTEST_OIDC_ISSUER and ATTEST_OIDC_AUDIENCE (required: a service that cannot verify tokens does not start). */
  identity: IdentitySettings;
}

const HOST = /^[A-Za-z0-9.:-]+$/;

/**
 * Reads a service's configuration from the environment and checks all of it: returns it typed, or throws one
 * ConfigError whose `problems` lists every bad or missing variable (the infrastructure endpoints' too).
 */
export function loadServiceConfig<S extends Record<string, Setting<unknown>> = Record<string, never>>(
  schema: ServiceConfigSchema<S>,
  env: Env = process.env,
): ServiceConfig<{ [K in keyof S]: SettingValue<S[K]> }> {
  const { read, section, check } = settingsProblems(env);
  const infra = section(infraEndpoints);
  const identity = section(identitySettings);
  const host = read(setting.string('ATTEST_HTTP_HOST', { default: '127.0.0.1', pattern: HOST }));
  const port = read(setting.port('ATTEST_HTTP_PORT', schema.httpPort));
  const logLevel = read(setting.oneOf('ATTEST_LOG_LEVEL', LOG_LEVELS, 'info'));
  const perMinute = read(
    setting.integer('ATTEST_RATE_LIMIT_PER_MINUTE', { default: RATE_LIMIT_DEFAULTS.limit, min: 1 }),
  );
  const settings: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(schema.settings ?? {})) settings[key] = read(s);
  check();
  return {
    service: schema.service,
    http: {
      host: host as string,
      port: port as number,
      rateLimit: { limit: perMinute as number, windowMs: 60_000 },
    },
    logLevel: logLevel as LogLevel,
    infra: infra as InfraEndpoints,
    settings: settings as { [K in keyof S]: SettingValue<S[K]> },
    identity: identity as IdentitySettings,
  };
}
