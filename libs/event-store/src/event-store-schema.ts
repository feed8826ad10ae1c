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
];
