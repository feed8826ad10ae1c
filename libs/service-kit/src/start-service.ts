import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestingModule } from '@nestjs/testing';
import { SwaggerModule } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { ConfigError } from '@attest/platform-config';
import { useApiVersionPrefix } from './http/api-version';
import { IdempotencyInterceptor } from './http/idempotency';
import { IdempotencyStore, type IdempotencyStoreOptions } from './http/idempotency-store';
import { methodNotAllowed } from './http/method-not-allowed';
import type { DomainErrorStatus } from './http/problem-types';
import { RateLimitGuard, type RateLimitOptions } from './http/rate-limit';
import { RepresentationInterceptor } from './http/representation';
import { securityHeaders } from './http/security-headers';
import { AuditorAccessLog, recordAuditorAccess } from './auditor-access-log/auditor-access-log';
import { authenticationGuard, AuthenticationOptions } from './identity/authentication-guard';
import { useJsonBody } from './json-body';
import { JsonLogger, LogLevel } from './json-logger';
import { buildOpenApiDocument, OpenApiOptions, rememberOpenApiOptions } from './openapi-document';
import { ProblemDetailsFilter } from './problem-details-filter';
import { requestLogging } from './request-logging';
import { RequestValidationPipe } from './request-validation';

export interface ServiceAppOptions {
  /** The service's name, written on every log line. */
  name: string;
  openApi: OpenApiOptions;
  /** Default `info`. */
  logLevel?: LogLevel;
  /** DomainError codes answered with another status than 409, e.g. `{ 'questionnaire-closed': 422 }`. */
  domainErrorStatus?: Record<string, DomainErrorStatus>;
  /** Largest JSON body accepted (default '1mb'); larger ones get 413. */
  bodyLimit?: string;
  /** Media types (lowercase) whose bodies the service takes as text, e.g. `['text/csv']`; all others but JSON get 415. */
  textBodies?: readonly string[];
  /** Media types (lowercase) whose bodies are left unread for the handler to stream, e.g. `['multipart/form-data']`. */
  streamedBodies?: readonly string[];
  /** Where JSON log lines go (default standard output); tests capture them here. */
  writeLog?: (line: string) => void;
  /**
   * Bearer access tokens (AuthenticationGuard): every route needs @RequirePermission() or @PublicRoute(), and the
   * tenant and actor come from the token.
   */
  authentication: AuthenticationOptions;
  /**
   * The service's own database, where @Idempotent() routes keep their keys (table service_kit.idempotency_keys,
   * created on first use); retention 24 hours by default.
   */
  idempotency?: { pool: Pool } & IdempotencyStoreOptions;
  /** The per-principal rate limit (default 600 requests a minute each); `false` for none. */
  rateLimit?: RateLimitOptions | false;
  /**
   * Where every request of a principal acting through an engagement grant (a CPA firm's auditor) is recorded, for
   * the client organization to review (services that honour grants).
   */
  auditorAccessLog?: AuditorAccessLog;
}

/**
 * What a service's main, OpenAPI writer and tests choose of its HTTP side (the identity provider's tokens, tests'
 * engagement grants, logging, the rate limit); the rest of ServiceAppOptions is the service's own.
 */
export type ServiceHttpOptions = Pick<
  ServiceAppOptions,
  'authentication' | 'logLevel' | 'writeLog' | 'rateLimit'
>;

export interface StartServiceOptions extends ServiceAppOptions {
  port: number;
  /** Default 127.0.0.1; 0.0.0.0 in a container. */
  host?: string;
}

/** Where the OpenAPI document is served. */
export const OPENAPI_JSON_PATH = '/openapi.json';
/** Where Swagger UI is served. */
export const OPENAPI_UI_PATH = '/docs';

function isTestingModule(value: unknown): value is TestingModule {
  return typeof (value as TestingModule).createNestApplication === 'function';
}

/**
 * An Attest service's Nest app, configured but not listening, with the API conventions of docs/api/conventions.md:
 * JsonLogger, request ids and request logging, the auditor access log (when given), security headers, 405 for undeclared methods, JSON bodies, routes
 * under /v1 (health probes at the root), bearer-token authentication, the per-principal rate limit,
 * RequestValidationPipe, ProblemDetailsFilter, idempotency keys, `Location`/`ETag` from handlers' Representations,
 * shutdown hooks (SIGTERM closes the app, so Kafka consumers drain), and the OpenAPI 3.1 document at /openapi.json
 * with Swagger UI at /docs. Takes an app module, or a compiled TestingModule for tests that override providers.
 */
export async function createServiceApp(
  module: Type<unknown> | DynamicModule | TestingModule,
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const logger = new JsonLogger({ service: options.name, level: options.logLevel, write: options.writeLog });
  // bodyParser: false, because useJsonBody parses bodies itself (after request logging, with its own errors);
  // abortOnError: false, so a failing provider rejects (and runService exits 1) instead of aborting the process.
  const appOptions = { logger, bodyParser: false, abortOnError: false };
  const app = isTestingModule(module)
    ? module.createNestApplication<NestExpressApplication>(appOptions)
    : await NestFactory.create<NestExpressApplication>(module, appOptions);
  app.useLogger(logger);
  app.disable('x-powered-by');
  // Entity tags are stream versions, set by handlers (withEntityTag); none made up from body hashes.
  app.set('etag', false);
  app.use(requestLogging(logger));
  const accessLog = options.auditorAccessLog;
  if (accessLog)
    recordAuditorAccess(app, accessLog, (error) =>
      logger.error({ message: 'an auditor access was not recorded', error }, 'AuditorAccessLog'),
    );
  app.use(securityHeaders);
  app.use(methodNotAllowed(app));
  useJsonBody(app, options.bodyLimit, options.textBodies, options.streamedBodies);
  useApiVersionPrefix(app);
  app.useGlobalFilters(new ProblemDetailsFilter({ domainErrorStatus: options.domainErrorStatus }));
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalGuards(
    authenticationGuard(app, options.authentication),
    // After authentication, so that it counts per principal.
    ...(options.rateLimit === false ? [] : [new RateLimitGuard(options.rateLimit)]),
  );
  const idempotency = options.idempotency;
  // Idempotency outermost: it stores the status and headers the inner interceptors set.
  app.useGlobalInterceptors(
    new IdempotencyInterceptor(
      app.get(Reflector),
      idempotency && new IdempotencyStore(idempotency.pool, idempotency),
    ),
    new RepresentationInterceptor(),
  );
  // Only the signals that mean "stop": Nest's default list also includes SIGUSR2 and SIGHUP, which would end the
  // service on a stray log-rotation or debugger signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  rememberOpenApiOptions(app, options.openApi, options.domainErrorStatus);
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: options.openApi.title,
  });
  return app;
}

/** createServiceApp, then listen on host:port (port 0 picks a free one). Resolves once the port is open. */
export async function startService(
  module: Type<unknown> | DynamicModule | TestingModule,
  options: StartServiceOptions,
): Promise<NestExpressApplication> {
  const app = await createServiceApp(module, options);
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port, host);
  new Logger('Bootstrap').log({ message: `${options.name} listening`, url: await app.getUrl() });
  return app;
}

/**
 * A service's main: runs `main` (load config, then startService) and, if it throws — bad configuration, a port in
 * use, a provider failing — writes a fatal JSON log line and a plain message on stderr, then exits with status 1.
 * Configuration is loaded inside `main`, so bad settings stop the service before it listens.
 */
export async function runService(
  name: string,
  main: () => Promise<INestApplication | unknown>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<void> {
  try {
    await main();
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : undefined;
    new JsonLogger({ service: name }).fatal(
      { message: `${name} did not start`, error, problems },
      'Bootstrap',
    );
    const reason = problems
      ? `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`${name} did not start: ${reason}\n`);
    exit(1);
  }
}
