// Helpers for the service's integration tests (not used by the service itself).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { decodeJwt } from 'jose';
import type request from 'supertest';
import { FilesystemContentStore, type ContentStore } from '@attest/evidence-storage';
import type { EncodedRecord } from '@attest/messaging';
import { contractExample, publishedRecord } from '@attest/messaging/testing';
import { EngagementGrants, type Clock, type NewControl } from '@attest/service-kit';
import {
  DEMO_USERS,
  eventStoreDump,
  tokenFor,
  testHttpOptions,
  userClientOf,
  type TestUser,
  type UserClient,
} from '@attest/service-kit/testing';
import {
  AUDITOR_INVITATION_ACCEPTED,
  AUDITOR_INVITED,
  ENGAGEMENT_PLANNED,
} from '../engagement-access/auditor-engagement-events.listener';
import { evidenceGrants } from '../engagement-access/evidence-grants';
import type { EvidenceMessagingOptions, EvidenceOptions } from '../evidence-options';
import { createEvidenceApp } from '../evidence-service';
import { EVIDENCE_CONTROLS } from '../read-model/known-controls';

export {
  ACME,
  apiRoute,
  DEMO_USER_OF_ROLE as USER_OF_ROLE,
  DEMO_USERS as USERS,
  GLOBEX,
  requestHeaders,
  tokenFor as accessToken,
  type TestUser,
  type UserClient,
} from '@attest/service-kit/testing';

export interface RunningEvidence {
  app: NestExpressApplication;
  /** Where the app keeps content (a temporary directory unless the test gave its own store). */
  contentStore: ContentStore;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  /** Closes the app and removes the temporary content directory. */
  close(): Promise<void>;
}

/**
 * The evidence app on a test database, initialised (projections and, when asked, Kafka running), with the HTTP side
 * of testHttpOptions (the identity provider's tokens, a raised rate limit, captured logs), and its content in a fresh
 * temporary directory unless `contentStore` is given.
 */
export async function startEvidence(options: {
  pool: Pool;
  contentStore?: ContentStore;
  messaging?: EvidenceMessagingOptions | false;
  clock?: Clock;
  maxUploadBytes?: number;
  retentionMonths?: EvidenceOptions['retentionMonths'];
  collectorAllowedPaths?: EvidenceOptions['collectorAllowedPaths'];
}): Promise<RunningEvidence> {
  let directory: string | null = null;
  let contentStore = options.contentStore;
  if (!contentStore) {
    directory = await mkdtemp(join(tmpdir(), 'attest-evidence-'));
    contentStore = new FilesystemContentStore(directory);
  }
  const logs: Record<string, unknown>[] = [];
  const app = await createEvidenceApp(
    {
      pool: options.pool,
      contentStore,
      messaging: options.messaging ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.maxUploadBytes === undefined ? {} : { maxUploadBytes: options.maxUploadBytes }),
      ...(options.retentionMonths === undefined ? {} : { retentionMonths: options.retentionMonths }),
      ...(options.collectorAllowedPaths ? { collectorAllowedPaths: options.collectorAllowedPaths } : {}),
    },
    testHttpOptions(logs),
  );
  await app.init();
  return {
    app,
    contentStore,
    logs,
    as: (user) => userClientOf(app, user),
    close: async () => {
      await app.close();
      if (directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Every key of the content store, sorted: "stores nothing" means this stays equal. */
export async function storedKeys(store: ContentStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.keys()) keys.push(key);
  return keys.sort();
}

/**
 * What a request could change, as data to compare: the number of events (each one is published, so nothing new
 * leaves either) and the head of every tenant's hash chain, all tenants' or one tenant's, and the content store's
 * keys. "Changes nothing" means this stays equal.
 */
export async function storeDump(
  pool: Pool,
  contentStore: ContentStore,
  tenant?: string,
): Promise<Record<string, unknown>> {
  return { ...(await eventStoreDump(pool, tenant)), content: await storedKeys(contentStore) };
}

/** One part of a multipart/form-data body: a field (no fileName) or a file. */
export interface Part {
  name: string;
  value: string | Buffer;
  fileName?: string;
  contentType?: string;
}

/**
 * A multipart/form-data body written out byte by byte, so a test sends exactly the parts, order and file names it
 * means (form-data libraries reduce a file name to its base name, which would hide a path-traversal attempt).
 */
export function multipart(parts: readonly Part[]): { contentType: string; body: Buffer } {
  const boundary = `attest-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      `form-data; name="${part.name}"` +
      (part.fileName === undefined ? '' : `; filename="${part.fileName.replace(/"/g, '%22')}"`);
    const headers = [`Content-Disposition: ${disposition}`];
    if (part.contentType) headers.push(`Content-Type: ${part.contentType}`);
    chunks.push(Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`, 'utf8'));
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : part.value);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** A file to upload: its bytes, the name its part gives and the media type it declares. */
export interface TestFile {
  bytes: Buffer;
  fileName: string;
  mediaType: string;
}

/** Sends an upload as the API takes it: the `metadata` part (JSON), then the `file` part. */
export function sendUpload(test: request.Test, metadata: object, file: TestFile): request.Test {
  const { contentType, body } = multipart([
    { name: 'metadata', value: JSON.stringify(metadata), contentType: 'application/json' },
    { name: 'file', value: file.bytes, fileName: file.fileName, contentType: file.mediaType },
  ]);
  return test.set('Content-Type', contentType).send(body);
}

/**
 * Makes controls known to the evidence service as control-mapping's events would (the consumer writes the same
 * rows in its transaction), for suites that run without Kafka.
 */
export async function knowControls(
  pool: Pool,
  tenantId: string,
  controls: readonly NewControl[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const control of controls) await EVIDENCE_CONTROLS.add(client, tenantId, control, 1);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** An engagement of a tenant with its controls in scope, and the auditor it invites who accepted. */
export interface TestEngagement {
  engagementId: string;
  controlIds: readonly string[];
  /** The invited auditor's pseudonymous id at the firm (default: a fresh one). */
  auditorId?: string;
  /** Default: the demo auditor. */
  auditor?: TestUser;
}

/**
 * The auditor-engagement service's events planning the engagement, inviting the auditor and their acceptance (the
 * actor: the auditor's identity-provider subject, from a token of theirs) — CloudEvent type and payload, valid by
 * their contracts (personal values sealed as on the topic): what gives the auditor a grant here.
 */
export async function engagementEvents(
  engagement: TestEngagement,
): Promise<{ ceType: string; data: Record<string, unknown> }[]> {
  const { engagementId, controlIds, auditorId = randomUUID(), auditor = DEMO_USERS.auditor } = engagement;
  const subject = decodeJwt(await tokenFor(auditor)).sub;
  const planned = contractExample(ENGAGEMENT_PLANNED, { engagementId });
  const invited = contractExample(AUDITOR_INVITED, { engagementId });
  const accepted = contractExample(AUDITOR_INVITATION_ACCEPTED, { engagementId, auditorId });
  return [
    {
      ceType: ENGAGEMENT_PLANNED,
      data: { ...planned, scope: { ...(planned.scope as object), controlIds: [...controlIds] } },
    },
    { ceType: AUDITOR_INVITED, data: { ...invited, auditor: { ...(invited.auditor as object), auditorId } } },
    {
      ceType: AUDITOR_INVITATION_ACCEPTED,
      data: { ...accepted, actor: { ...(accepted.actor as object), type: 'user', id: subject } },
    },
  ];
}

/** Those events as the auditor-engagement service's relay publishes them to `topic`. */
export async function engagementRecords(
  topic: string,
  tenantId: string,
  engagement: TestEngagement,
): Promise<EncodedRecord[]> {
  return (await engagementEvents(engagement)).map((event, i) =>
    publishedRecord({ topic, tenantId, ...event, streamVersion: i + 1 }),
  );
}

/** Folds those events into the grants as the consumer does, for suites that run without Kafka. */
export async function grantEngagement(
  pool: Pool,
  tenantId: string,
  engagement: TestEngagement,
): Promise<void> {
  const grants = evidenceGrants(pool);
  await grants.setUp(pool);
  for (const { ceType, data } of await engagementEvents(engagement)) {
    const event = EngagementGrants.grantEventOf(ceType, data);
    if (!event) throw new Error(`${ceType} is no grant event`);
    await grants.apply(pool, tenantId, event);
  }
}
