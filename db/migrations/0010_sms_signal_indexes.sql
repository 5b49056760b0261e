-- Velocity is counted in Redis on the request path now; nothing reads registration_signals by
-- address or prefix, and every registration paid for two index entries. Dropped concurrently
-- (outside a transaction), so writers are never blocked.
DROP INDEX CONCURRENTLY IF EXISTS "registration_signals_ip_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "registration_signals_prefix_idx";--> statement-breakpoint
-- Added NOT VALID by the previous migration; validated outside its transaction (one row).
-- Re-running it is harmless: validating a valid constraint does nothing.
-- squawk-ignore prefer-robust-stmts
ALTER TABLE "policy_settings" VALIDATE CONSTRAINT "policy_settings_sms_spending";
