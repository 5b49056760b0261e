CREATE TABLE "waitlist_day_counts" (
	"priority" integer NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "waitlist_day_counts_priority_day_pk" PRIMARY KEY("priority","day")
);
--> statement-breakpoint
ALTER TABLE "waitlist_counts" ADD COLUMN "folded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "waitlist_counts_deltas_idx" ON "waitlist_counts" USING btree ("priority","bucket") WHERE not folded;--> statement-breakpoint
-- Position at 10M sums every bucket ahead; with hour buckets over months that is ~17k rows.
-- waitlist_day_counts holds per-day totals of the FOLDED hour rows, kept by statement triggers
-- on waitlist_counts in the same transaction as the rows they summarise: exact in every
-- snapshot, whoever writes waitlist_counts (compaction, the bulk seeder, TRUNCATE of
-- registrations). Trigger deltas (folded = false) never touch it, so registrations pay nothing
-- beyond an empty statement trigger.
CREATE FUNCTION waitlist_day_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO waitlist_day_counts AS d (priority, day, n)
    SELECT priority, date_trunc('day', bucket, 'UTC'), sum(n) FROM new_rows WHERE folded GROUP BY 1, 2
    ON CONFLICT (priority, day) DO UPDATE SET n = d.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO waitlist_day_counts AS d (priority, day, n)
    SELECT priority, date_trunc('day', bucket, 'UTC'), -sum(n) FROM old_rows WHERE folded GROUP BY 1, 2
    ON CONFLICT (priority, day) DO UPDATE SET n = d.n + excluded.n;
  ELSE
    INSERT INTO waitlist_day_counts AS d (priority, day, n)
    SELECT priority, day, sum(n) FROM (
      SELECT priority, date_trunc('day', bucket, 'UTC') AS day, n FROM new_rows WHERE folded
      UNION ALL
      SELECT priority, date_trunc('day', bucket, 'UTC'), -n FROM old_rows WHERE folded
    ) AS changes GROUP BY 1, 2
    ON CONFLICT (priority, day) DO UPDATE SET n = d.n + excluded.n;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER waitlist_counts_day_insert AFTER INSERT ON waitlist_counts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_counts_apply();--> statement-breakpoint
CREATE TRIGGER waitlist_counts_day_update AFTER UPDATE ON waitlist_counts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_counts_apply();--> statement-breakpoint
CREATE TRIGGER waitlist_counts_day_delete AFTER DELETE ON waitlist_counts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_counts_apply();--> statement-breakpoint
CREATE FUNCTION waitlist_day_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM waitlist_day_counts;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER waitlist_counts_day_truncate AFTER TRUNCATE ON waitlist_counts
  FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_counts_after_truncate();
