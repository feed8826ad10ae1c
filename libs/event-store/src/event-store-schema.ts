import type { Migration } from './migrations';

/** The event store's own tables, in schema `event_store`. */
export const eventStoreMigrations: Migration[] = [
  {
    version: 1,
    name: 'events, streams, tenant chains, snapshots, outbox, projection checkpoints',
    async up(client) {
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS event_store;

        CREATE TABLE event_store.events (
          global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          -- Readers only pass transactions older than every one in flight, so a late commit is never skipped.
          transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          event_id uuid NOT NULL UNIQUE,
          tenant_id text NOT NULL,
          stream_id text NOT NULL,
          stream_type text NOT NULL,
          stream_version bigint NOT NULL,
          tenant_sequence bigint NOT NULL,
          event_type text NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL,
          recorded_at timestamptz NOT NULL,
          prev_hash char(64) NOT NULL,
          hash char(64) NOT NULL,
          UNIQUE (stream_id, stream_version),
          UNIQUE (tenant_id, tenant_sequence)
        );
        CREATE INDEX events_log_order ON event_store.events (transaction_id, global_position);
        CREATE INDEX events_recorded_at ON event_store.events (recorded_at);

        CREATE TABLE event_store.streams (
          stream_id text PRIMARY KEY,
          tenant_id text NOT NULL,
          stream_type text NOT NULL,
          version bigint NOT NULL,
          updated_at timestamptz NOT NULL
        );

        -- The head of each tenant's hash chain; its row lock orders a tenant's appends.
        CREATE TABLE event_store.tenant_chains (
          tenant_id text PRIMARY KEY,
          last_sequence bigint NOT NULL,
          last_hash char(64) NOT NULL
        );

        CREATE TABLE event_store.snapshots (
          stream_id text PRIMARY KEY,
          stream_version bigint NOT NULL,
          schema_version int NOT NULL,
          state jsonb NOT NULL,
          taken_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE event_store.outbox (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          event_id uuid NOT NULL REFERENCES event_store.events (event_id),
          topic text NOT NULL,
          partition_key text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          sent_at timestamptz
        );
        CREATE INDEX outbox_unsent ON event_store.outbox (id) WHERE sent_at IS NULL;

        CREATE TABLE event_store.projection_checkpoints (
          projection text PRIMARY KEY,
          transaction_id xid8 NOT NULL,
          global_position bigint NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
      `);
    },
  },
  {
    version: 2,
    name: 'events: CloudEvents type and source, schema version, topic; tenant chains: last recorded time',
    async up(client) {
      await client.query(`
        ALTER TABLE event_store.events
          ADD COLUMN ce_type text,
          ADD COLUMN source text,
          ADD COLUMN schema_version int NOT NULL DEFAULT 1,
          ADD COLUMN topic text;
        -- Events recorded before these columns: the public type was only known to the relay, so the store type
        -- stands in for it, and the source is unknown ('').
        UPDATE event_store.events SET ce_type = event_type, source = '';
        -- What the outbox was to publish, the relay now finds on the event itself.
        UPDATE event_store.events e SET topic = o.topic FROM event_store.outbox o WHERE o.event_id = e.event_id;
        ALTER TABLE event_store.events ALTER COLUMN ce_type SET NOT NULL, ALTER COLUMN source SET NOT NULL;

        -- The newest recorded_at of the tenant: an append stamps greatest(clock, this), so a tenant's times never go
        -- backwards, whatever the clocks of the servers that stamped them.
        ALTER TABLE event_store.tenant_chains ADD COLUMN last_recorded_at timestamptz NOT NULL DEFAULT '-infinity';
        UPDATE event_store.tenant_chains t SET last_recorded_at = m.recorded_at
        FROM (SELECT tenant_id, max(recorded_at) AS recorded_at FROM event_store.events GROUP BY tenant_id) m
        WHERE m.tenant_id = t.tenant_id;
      `);
    },
  },
  {
    version: 3,
    name: 'events: index of the published log in log order',
    async up(client) {
      // The relay tails the published events in log order from one checkpoint.
      await client.query(`
        CREATE INDEX events_published_log_order ON event_store.events (transaction_id, global_position)
        WHERE topic IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    name: 'relay: one checkpoint in the published log, fenced by a lease epoch; dead letters; no outbox table',
    async up(client) {
      // The relay tails the published events (topic IS NOT NULL) in log order instead of inserting and updating an
      // outbox row per event. It starts just before the oldest record the outbox had not sent, so nothing is lost
      // (records sent after it are sent again: at-least-once), or at the end of the log if all were sent.
      await client.query(`
        CREATE TABLE event_store.relay_checkpoint (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          transaction_id xid8 NOT NULL,
          global_position bigint NOT NULL,
          -- Bumped by every relay that takes the lease; a holder's reads and checkpoint writes check it in the same
          -- statement, so a relay that lost its lease without noticing cannot move the checkpoint (fencing).
          epoch bigint NOT NULL DEFAULT 0,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        WITH first_unsent AS (
          SELECT e.transaction_id, e.global_position
          FROM event_store.outbox o JOIN event_store.events e ON e.event_id = o.event_id
          WHERE o.sent_at IS NULL ORDER BY e.transaction_id, e.global_position LIMIT 1),
        log_end AS (
          SELECT transaction_id, global_position FROM event_store.events
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1)
        INSERT INTO event_store.relay_checkpoint (transaction_id, global_position)
        SELECT coalesce((SELECT transaction_id FROM first_unsent), (SELECT transaction_id FROM log_end), '0'),
               coalesce((SELECT global_position - 1 FROM first_unsent), (SELECT global_position FROM log_end), 0);

        -- Events Kafka refused for good (too large, invalid topic): the relay records them here and goes on.
        CREATE TABLE event_store.relay_dead_letters (
          event_id uuid PRIMARY KEY REFERENCES event_store.events (event_id),
          global_position bigint NOT NULL,
          topic text NOT NULL,
          reason text NOT NULL,
          error text NOT NULL,
          dead_lettered_at timestamptz NOT NULL DEFAULT now()
        );

        DROP TABLE event_store.outbox;
      `);
    },
  },
  {
    version: 5,
    name: 'chain checkpoints: signed tenant chain heads, kept outside the events table',
    async up(client) {
      // Each row is also appended as the tenant's next event (ChainCheckpointSigned), so it is published; the table
      // is the service's own record of what it signed (chain-checkpoints.ts).
      await client.query(`
        CREATE TABLE event_store.chain_checkpoints (
          tenant_id text NOT NULL,
          tenant_sequence bigint NOT NULL,
          head_hash char(64) NOT NULL,
          global_position bigint NOT NULL,
          signed_at timestamptz NOT NULL,
          key_id text NOT NULL,
          signature text NOT NULL,
          PRIMARY KEY (tenant_id, tenant_sequence)
        );
      `);
    },
  },
  {
    version: 6,
    name: 'personal data: a key per (tenant, subject) that seals its fields; erasures',
    async up(client) {
      // Crypto-shredding (personal-data-vault.ts): events carry personal values sealed with their person's key;
      // forgetting the person sets the key to NULL. The row stays, so a read tells "erased" from "not a token".
      await client.query(`
        CREATE TABLE event_store.subject_keys (
          key_id text PRIMARY KEY,
          tenant_id text NOT NULL,
          subject_id text NOT NULL,
          key bytea CHECK (length(key) = 32),
          created_at timestamptz NOT NULL DEFAULT now(),
          erased_at timestamptz,
          CHECK ((key IS NULL) = (erased_at IS NOT NULL))
        );
        -- One live key per person; after an erasure, later events about them get a new one.
        CREATE UNIQUE INDEX subject_keys_live ON event_store.subject_keys (tenant_id, subject_id) WHERE key IS NOT NULL;

        -- Who asked to forget whom, and when: ids only, never the erased values.
        CREATE TABLE event_store.personal_data_erasures (
          erasure_id uuid PRIMARY KEY,
          tenant_id text NOT NULL,
          subject_id text NOT NULL,
          erased_by text NOT NULL,
          erased_at timestamptz NOT NULL DEFAULT now(),
          keys_erased int NOT NULL
        );
        CREATE INDEX personal_data_erasures_subject ON event_store.personal_data_erasures (tenant_id, subject_id);
      `);
    },
  },
  {
    version: 7,
    name: 'tenant chains: the transaction of the last append',
    async up(client) {
      // An append refuses to run in a transaction older than the tenant's last appender (postgres-event-store.ts),
      // so a tenant's log order (transaction id first) is its append order. Seeded from each tenant's last event.
      await client.query(`
        ALTER TABLE event_store.tenant_chains ADD COLUMN last_transaction_id xid8 NOT NULL DEFAULT '0';
        UPDATE event_store.tenant_chains t SET last_transaction_id = e.transaction_id
        FROM event_store.events e WHERE e.tenant_id = t.tenant_id AND e.tenant_sequence = t.last_sequence;
      `);
    },
  },
];
