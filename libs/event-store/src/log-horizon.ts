/**
 * SQL for how far the gap-safe log may be read in the current statement: every event of a transaction below it
 * is committed (or rolled back) and visible, so a reader that stops there never skips a late commit.
 *
 * `pg_snapshot_xmin` alone is the oldest transaction in flight on the whole SERVER: one holding an id in another
 * database (another service, another test's consumer transaction, CREATE DATABASE) held every follower and relay
 * of this database back for as long as it ran; a command's read-your-writes wait then timed out after 10 s and a
 * create answered 404 for its own resource. Only this database's transactions can append to its log, so in-flight
 * ids that pg_stat_activity places on a backend of another database are passed over. An id it cannot place
 * (finished meanwhile, prepared, hidden) still holds the horizon back, as before. Never below `pg_snapshot_xmin`,
 * but not monotonic: an id of another database that ends between the statement's snapshot and its read of
 * pg_stat_activity holds it back for that statement (safe; a reader that needs "readable for good" asks xmin).
 */
export const LOG_HORIZON_SQL = `coalesce(
  (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE x::xid NOT IN (
     SELECT a.backend_xid FROM pg_stat_activity a
     WHERE a.backend_xid IS NOT NULL
       AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))),
  pg_snapshot_xmax(pg_current_snapshot()))`;
