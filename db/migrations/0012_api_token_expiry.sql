-- Every API token expires (SPEC §6). Tokens made before this rule without an expiry get 90 days
-- from now (not from their creation: automation keeps working while its owners rotate them).
-- api_tokens holds tens of rows: the backfill and the NOT NULL check are instant.
UPDATE "api_tokens" SET "expires_at" = now() + interval '90 days' WHERE "expires_at" IS NULL;--> statement-breakpoint
-- squawk-ignore adding-not-nullable-field
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL;
