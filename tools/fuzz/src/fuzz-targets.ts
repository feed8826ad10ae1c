import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import {
  ENGAGEMENT_AUDITOR,
  ENGAGEMENT_ORCHESTRATOR,
  EVIDENCE_ORCHESTRATOR,
  type FuzzCaller,
  FUZZ_MANIFESTS_DIR,
  ORCHESTRATOR,
} from './fuzz-callers';

/** A service the fuzzer runs as its own process, on resources made for one run and removed after it. */
export interface FuzzTarget {
  service: string;
  main: string;
  /** Makes the run's resources; returns the environment pointing the service at them, and their removal. */
  prepare(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
  /**
   * Those who alone may call some operations: each fuzzes them in a pass of their own (the admin's leaves them out).
   * Every service has routes for the orchestrator (ORCHESTRATOR, or a variant with the data its routes need).
   */
  callers?: FuzzCaller[];
}

export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    service: 'readiness',
    main: 'apps/readiness/src/main.ts',
    callers: [ORCHESTRATOR],
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_readiness');
      return {
        // No relay: thousands of generated events stay in the throwaway outbox instead of reaching Kafka.
        env: { ATTEST_READINESS_DATABASE: db.url, ATTEST_READINESS_RELAY: 'false' },
        dispose: () => db.drop(),
      };
    },
  },
  {
    service: 'control-mapping',
    main: 'apps/control-mapping/src/main.ts',
    callers: [ORCHESTRATOR],
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_control_mapping');
      // Its own readiness and monitoring topics and groups: the run neither reads other runs' events nor moves the
      // real groups; no relay, so its generated events stay in the throwaway outbox.
      const topic = freshTopic('fuzzreadiness');
      const group = freshName('attest.control-mapping.fuzz');
      const monitoringTopic = freshTopic('fuzzmonitoring');
      const monitoringGroup = freshName('attest.control-mapping.fuzz-monitoring');
      return {
        env: {
          ATTEST_CONTROL_MAPPING_DATABASE: db.name,
          ATTEST_CONTROL_MAPPING_READINESS_TOPIC: topic,
          ATTEST_CONTROL_MAPPING_CONSUMER_GROUP: group,
          ATTEST_CONTROL_MAPPING_MONITORING_TOPIC: monitoringTopic,
          ATTEST_CONTROL_MAPPING_MONITORING_CONSUMER_GROUP: monitoringGroup,
          ATTEST_CONTROL_MAPPING_RELAY: 'false',
        },
        dispose: () =>
          removeAll([
            deleteConsumerGroup(group),
            deleteConsumerGroup(monitoringGroup),
            cleanUpKafka(testKafka(), [
              topic,
              `attest.dlq.${group}`,
              monitoringTopic,
              `attest.dlq.${monitoringGroup}`,
            ]),
            db.drop(),
          ]),
      };
    },
  },
  {
    service: 'evidence',
    main: 'apps/evidence/src/main.ts',
    callers: [EVIDENCE_ORCHESTRATOR],
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_evidence');
      // Uploaded content lands in a throwaway directory; control-mapping's events come from a topic of its own.
      const contentDir = await mkdtemp(join(tmpdir(), 'attest-fuzz-evidence-'));
      const topic = freshTopic('fuzzcontrolmapping');
      const group = freshName('attest.evidence.fuzz');
      // What the orchestrator's collector runs read: one Deployment, so each run collects and records something.
      await mkdir(FUZZ_MANIFESTS_DIR, { recursive: true });
      await writeFile(join(FUZZ_MANIFESTS_DIR, 'deployment.yaml'), FUZZ_MANIFEST);
      return {
        env: {
          ATTEST_EVIDENCE_DATABASE: db.name,
          ATTEST_EVIDENCE_DIR: contentDir,
          ATTEST_EVIDENCE_STORE: 'filesystem',
          ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: topic,
          ATTEST_EVIDENCE_CONSUMER_GROUP: group,
          ATTEST_EVIDENCE_RELAY: 'false',
          ATTEST_EVIDENCE_MAX_UPLOAD_BYTES: String(1024 * 1024),
          ATTEST_COLLECTOR_ALLOWED_PATHS: FUZZ_MANIFESTS_DIR,
        },
        dispose: () =>
          removeAll([
            deleteConsumerGroup(group),
            cleanUpKafka(testKafka(), [topic, `attest.dlq.${group}`]),
            db.drop(),
            rm(contentDir, { recursive: true, force: true }),
            rm(FUZZ_MANIFESTS_DIR, { recursive: true, force: true }),
          ]),
      };
    },
  },
  {
    service: 'monitoring',
    main: 'apps/monitoring/src/main.ts',
    callers: [ORCHESTRATOR],
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_monitoring');
      // Evidence and control-mapping events come from topics of their own, read by groups of their own.
      const topics = [freshTopic('fuzzevidence'), freshTopic('fuzzcontrolmapping')];
      const groups = [
        freshName('attest.monitoring.fuzz-evidence'),
        freshName('attest.monitoring.fuzz-control-mapping'),
      ];
      return {
        env: {
          ATTEST_MONITORING_DATABASE: db.name,
          ATTEST_MONITORING_EVIDENCE_TOPIC: topics[0],
          ATTEST_MONITORING_CONSUMER_GROUP: groups[0],
          ATTEST_MONITORING_CONTROL_MAPPING_TOPIC: topics[1],
          ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: groups[1],
          ATTEST_MONITORING_RELAY: 'false',
        },
        dispose: () =>
          removeAll([
            ...groups.map(deleteConsumerGroup),
            cleanUpKafka(testKafka(), [...topics, ...groups.map((g) => `attest.dlq.${g}`)]),
            db.drop(),
          ]),
      };
    },
  },
  {
    service: 'auditor-engagement',
    main: 'apps/auditor-engagement/src/main.ts',
    // The audit work (audit:perform) is the invited auditor's alone: an admin may not perform the audit.
    callers: [ENGAGEMENT_AUDITOR, ENGAGEMENT_ORCHESTRATOR],
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_auditor_engagement');
      // The four consumed topics each its own, read by groups of their own.
      const sources = ['CONTROL_MAPPING', 'EVIDENCE', 'MONITORING', 'READINESS'];
      const topics = sources.map((s) => freshTopic(`fuzz${s.toLowerCase().replace('_', '')}`));
      const groups = sources.map((s) =>
        freshName(`attest.auditor-engagement.fuzz-${s.toLowerCase().replace('_', '-')}`),
      );
      return {
        env: {
          ATTEST_AUDITOR_ENGAGEMENT_DATABASE: db.name,
          ATTEST_AUDITOR_ENGAGEMENT_CONTROL_MAPPING_TOPIC: topics[0],
          ATTEST_AUDITOR_ENGAGEMENT_CONSUMER_GROUP: groups[0],
          ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC: topics[1],
          ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_CONSUMER_GROUP: groups[1],
          ATTEST_AUDITOR_ENGAGEMENT_MONITORING_TOPIC: topics[2],
          ATTEST_AUDITOR_ENGAGEMENT_MONITORING_CONSUMER_GROUP: groups[2],
          ATTEST_AUDITOR_ENGAGEMENT_READINESS_TOPIC: topics[3],
          ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP: groups[3],
          ATTEST_AUDITOR_ENGAGEMENT_RELAY: 'false',
        },
        dispose: () =>
          removeAll([
            ...groups.map(deleteConsumerGroup),
            cleanUpKafka(testKafka(), [...topics, ...groups.map((g) => `attest.dlq.${g}`)]),
            db.drop(),
          ]),
      };
    },
  },
];

const FUZZ_MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: { name: web, namespace: fuzz }',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false }',
  '',
].join('\n');

/** Waits for every removal, each tried even when another fails; then throws the first failure. */
async function removeAll(removals: Promise<unknown>[]): Promise<void> {
  for (const removal of await Promise.allSettled(removals))
    if (removal.status === 'rejected') throw removal.reason;
}

/**
 * Deletes a consumer group. A service stopped gracefully has left it; one killed stays its member until its session
 * times out (30 s), and the broker refuses to delete a group with members: retried until then.
 */
async function deleteConsumerGroup(groupId: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await waitFor(
      `consumer group ${groupId} to be deleted`,
      async () => {
        const { groups } = await admin.listGroups();
        if (groups.some((g) => g.groupId === groupId)) await admin.deleteGroups([groupId]);
        return true;
      },
      40_000,
      1_000,
    );
  } finally {
    await admin.disconnect();
  }
}
