CREATE INDEX CONCURRENTLY IF NOT EXISTS "invitations_phase_id_status_created_at_idx" ON "invitations" USING btree ("phase_id","status","created_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "members_phase_id_admitted_at_idx" ON "members" USING btree ("phase_id","admitted_at");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "invitations_phase_id_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "members_phase_id_idx";
