CREATE TYPE "public"."registration_signal_kind" AS ENUM('attempt', 'verified');--> statement-breakpoint
CREATE TYPE "public"."sms_prefix_hold_status" AS ENUM('held', 'released');--> statement-breakpoint
CREATE TABLE "sms_prefix_holds" (
	"prefix" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"status" "sms_prefix_hold_status" NOT NULL,
	"reason" text NOT NULL,
	"sends" integer NOT NULL,
	"verified" integer NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" uuid
);
--> statement-breakpoint
CREATE TABLE "sms_send_stats" (
	"bucket" timestamp with time zone NOT NULL,
	"country" text NOT NULL,
	"prefix" text NOT NULL,
	"sends" integer DEFAULT 0 NOT NULL,
	"verifications" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sms_send_stats_bucket_country_prefix_pk" PRIMARY KEY("bucket","country","prefix")
);
--> statement-breakpoint
CREATE TABLE "sms_stats_progress" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"processed_until" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_stats_progress_singleton" CHECK (id = 1)
);
--> statement-breakpoint
ALTER TABLE "policy_settings" ADD COLUMN "sms_budget_country_per_hour" integer DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_settings" ADD COLUMN "sms_budget_prefix_per_hour" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_settings" ADD COLUMN "sms_budget_global_per_minute" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_settings" ADD COLUMN "prefix_hold_min_sends" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_settings" ADD COLUMN "prefix_hold_max_verified_pct" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
-- Constant defaults: metadata-only on PostgreSQL ≥ 11, no table rewrite of the signals.
ALTER TABLE "registration_signals" ADD COLUMN "kind" "registration_signal_kind" DEFAULT 'attempt' NOT NULL;--> statement-breakpoint
ALTER TABLE "registration_signals" ADD COLUMN "phone_country" text;--> statement-breakpoint
ALTER TABLE "registration_signals" ADD COLUMN "code_sent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_prefix_holds" ADD CONSTRAINT "sms_prefix_holds_released_by_staff_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Validated by the next migration, in a transaction of its own.
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_sms_spending" CHECK (sms_budget_country_per_hour > 0 and sms_budget_prefix_per_hour > 0 and sms_budget_global_per_minute > 0
        and prefix_hold_min_sends > 0 and prefix_hold_max_verified_pct between 0 and 100) NOT VALID;--> statement-breakpoint
-- The statistics start from now: signals written before this release carry no country or code flag.
INSERT INTO "sms_stats_progress" ("id", "processed_until") VALUES (1, now()) ON CONFLICT DO NOTHING;