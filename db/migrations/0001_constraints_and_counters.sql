-- Rules the database itself keeps, beyond what the schema files can express.

-- audit_events is append-only.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();--> statement-breakpoint

-- Waitlist bucket counts: every statement that changes the set of waiting registrations (or the
-- priority/queue time of one) appends per-bucket deltas in the same transaction, so the counts
-- are exact in every snapshot. Statement-level with transition tables: a 100k-row admission
-- writes a handful of delta rows, not 100k.
CREATE FUNCTION waitlist_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO waitlist_counts (priority, bucket, n)
  SELECT priority, date_trunc('hour', queued_at, 'UTC'), count(*)
  FROM new_rows WHERE status = 'waiting'
  GROUP BY 1, 2;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION waitlist_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO waitlist_counts (priority, bucket, n)
  SELECT priority, bucket, sum(d) FROM (
    SELECT priority, date_trunc('hour', queued_at, 'UTC') AS bucket, 1 AS d FROM new_rows WHERE status = 'waiting'
    UNION ALL
    SELECT priority, date_trunc('hour', queued_at, 'UTC'), -1 FROM old_rows WHERE status = 'waiting'
  ) AS changes
  GROUP BY 1, 2
  HAVING sum(d) <> 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION waitlist_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO waitlist_counts (priority, bucket, n)
  SELECT priority, date_trunc('hour', queued_at, 'UTC'), -count(*)
  FROM old_rows WHERE status = 'waiting'
  GROUP BY 1, 2;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER registrations_waitlist_insert AFTER INSERT ON registrations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_counts_after_insert();--> statement-breakpoint
CREATE TRIGGER registrations_waitlist_update AFTER UPDATE ON registrations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_counts_after_update();--> statement-breakpoint
CREATE TRIGGER registrations_waitlist_delete AFTER DELETE ON registrations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_counts_after_delete();--> statement-breakpoint
-- TRUNCATE bypasses row triggers and would leave the counts wrong: clear them with it.
CREATE FUNCTION waitlist_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM waitlist_counts;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER registrations_waitlist_truncate AFTER TRUNCATE ON registrations
  FOR EACH STATEMENT EXECUTE FUNCTION waitlist_counts_after_truncate();--> statement-breakpoint

-- The registrations table churns (every admission is a non-HOT update): vacuum it far sooner
-- than the default 20 % so dead rows at the head of the queue do not slow the next batch.
ALTER TABLE registrations SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);--> statement-breakpoint

-- Defaults every installation starts with.
INSERT INTO policy_settings (id) VALUES (1);--> statement-breakpoint
INSERT INTO instance_secrets (id, phone_hash_salt)
  VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
