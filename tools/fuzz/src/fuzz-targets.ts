import { createTestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';

/** A service the fuzzer runs as its own process, on resources made for one run and removed after it. */
export interface FuzzTarget {
  service: string;
  main: string;
  /** Makes the run's resources; returns the environment pointing the service at them, and their removal. */
  prepare(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}

export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    service: 'readiness',
    main: 'apps/readiness/src/main.ts',
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
    async prepare() {
      const db = await createTestDatabase('attest_fuzz_control_mapping');
      // Its own readiness topic and group: the run neither reads other runs' events nor moves the real group; no
      // relay, so its generated events stay in the throwaway outbox.
      const topic = freshTopic('fuzzreadiness');
      const group = freshName('attest.control-mapping.fuzz');
      return {
        env: {
          ATTEST_CONTROL_MAPPING_DATABASE: db.name,
          ATTEST_CONTROL_MAPPING_READINESS_TOPIC: topic,
          ATTEST_CONTROL_MAPPING_CONSUMER_GROUP: group,
          ATTEST_CONTROL_MAPPING_RELAY: 'false',
        },
        async dispose() {
          // Each removal is tried even when another fails.
          const removals = await Promise.allSettled([
            deleteConsumerGroup(group),
            cleanUpKafka(testKafka(), [topic, `attest.dlq.${group}`]),
            db.drop(),
          ]);
          for (const removal of removals) if (removal.status === 'rejected') throw removal.reason;
        },
      };
    },
  },
];

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
