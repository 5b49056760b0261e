CREATE TYPE "public"."batch_kind" AS ENUM('admit_next', 'targeted', 'member_quota', 'reactivate');--> statement-breakpoint
CREATE TYPE "public"."batch_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."invitation_source" AS ENUM('batch', 'member', 'staff');--> statement-breakpoint
CREATE TYPE "public"."invitation_status" AS ENUM('pending', 'sent', 'redeemed', 'expired', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."quota_reason" AS ENUM('phase_topup', 'grant', 'invite_sent', 'invite_refund', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."notification_channel" AS ENUM('sms', 'email');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('verification_code', 'invitation', 'invitation_reminder', 'reactivation');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'queued', 'sending', 'sent', 'failed', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."expired_placement" AS ENUM('original', 'back');--> statement-breakpoint
CREATE TYPE "public"."phase_kind" AS ENUM('internal', 'closed', 'open');--> statement-breakpoint
CREATE TYPE "public"."phase_status" AS ENUM('draft', 'scheduled', 'active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."policy_decision_kind" AS ENUM('screening', 'legacy_claim_ignored', 'duplicate_resumed', 'restarted_at_back', 'blocked_phone_refused', 'lapsed', 'personal_data_erased');--> statement-breakpoint
CREATE TYPE "public"."screening_outcome" AS ENUM('accept', 'hold', 'reject');--> statement-breakpoint
CREATE TYPE "public"."locale" AS ENUM('en', 'fr', 'zh');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('android', 'ios');--> statement-breakpoint
CREATE TYPE "public"."registration_status" AS ENUM('pending_verification', 'waiting', 'invited', 'admitted', 'lapsed', 'removed', 'expired', 'blocked');--> statement-breakpoint
CREATE TYPE "public"."review" AS ENUM('clear', 'hold');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('admin', 'growth', 'support', 'product');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"registration_id" uuid,
	"input" text,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "batch_kind" NOT NULL,
	"params" jsonb NOT NULL,
	"status" "batch_status" DEFAULT 'queued' NOT NULL,
	"phase_id" uuid,
	"requested" integer DEFAULT 0 NOT NULL,
	"selected" integer DEFAULT 0 NOT NULL,
	"invited" integer DEFAULT 0 NOT NULL,
	"notified" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"truncated_reason" text,
	"error" text,
	"created_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	CONSTRAINT "batches_counters_nonnegative" CHECK (requested >= 0 and selected >= 0 and invited >= 0 and notified >= 0 and failed >= 0)
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"phase_id" uuid NOT NULL,
	"source" "invitation_source" NOT NULL,
	"batch_id" uuid,
	"inviter_member_id" uuid,
	"status" "invitation_status" DEFAULT 'pending' NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"phase_id" uuid NOT NULL,
	"admitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invite_quota" integer DEFAULT 0 NOT NULL,
	"token_hash" text NOT NULL,
	CONSTRAINT "members_registrationId_unique" UNIQUE("registration_id"),
	CONSTRAINT "members_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "members_invite_quota_nonnegative" CHECK (invite_quota >= 0)
);
--> statement-breakpoint
CREATE TABLE "quota_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"delta" integer NOT NULL,
	"reason" "quota_reason" NOT NULL,
	"invitation_id" uuid,
	"batch_id" uuid,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_ledger_delta_nonzero" CHECK (delta <> 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"registration_id" uuid,
	"invitation_id" uuid,
	"recipient" text NOT NULL,
	"locale" "locale" DEFAULT 'en' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phase_allowed_phones" (
	"phase_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phase_allowed_phones_phase_id_phone_pk" PRIMARY KEY("phase_id","phone")
);
--> statement-breakpoint
CREATE TABLE "phases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" "phase_kind" NOT NULL,
	"status" "phase_status" DEFAULT 'draft' NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"capacity" integer,
	"daily_admission_cap" integer,
	"member_invite_quota" integer DEFAULT 0 NOT NULL,
	"invitation_ttl_hours" integer DEFAULT 72 NOT NULL,
	"expired_placement" "expired_placement" DEFAULT 'original' NOT NULL,
	"auto_reactivate_expired" boolean DEFAULT false NOT NULL,
	"countries" text[],
	"platforms" "platform"[],
	"activated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phases_slug_unique" UNIQUE("slug"),
	CONSTRAINT "phases_capacity_positive" CHECK (capacity is null or capacity >= 0),
	CONSTRAINT "phases_daily_cap_positive" CHECK (daily_admission_cap is null or daily_admission_cap >= 0),
	CONSTRAINT "phases_quota_nonnegative" CHECK (member_invite_quota >= 0),
	CONSTRAINT "phases_ttl_positive" CHECK (invitation_ttl_hours > 0),
	CONSTRAINT "phases_window" CHECK (ends_at is null or starts_at is null or ends_at > starts_at)
);
--> statement-breakpoint
CREATE TABLE "blocked_phones" (
	"phone_hash" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"registration_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance_secrets" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"phone_hash_salt" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instance_secrets_singleton" CHECK (id = 1)
);
--> statement-breakpoint
CREATE TABLE "policy_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"registration_id" uuid,
	"kind" "policy_decision_kind" NOT NULL,
	"outcome" "screening_outcome",
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"referral_boost" integer DEFAULT 1 NOT NULL,
	"referral_boost_cap" integer DEFAULT 10 NOT NULL,
	"verification_window_minutes" integer DEFAULT 30 NOT NULL,
	"verification_max_attempts" integer DEFAULT 5 NOT NULL,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"allowed_countries" text[],
	"blocked_prefixes" text[] DEFAULT '{}'::text[] NOT NULL,
	"velocity_window_minutes" integer DEFAULT 10 NOT NULL,
	"velocity_max_per_ip" integer DEFAULT 20 NOT NULL,
	"velocity_max_per_prefix" integer DEFAULT 200 NOT NULL,
	"velocity_prefix_digits" integer DEFAULT 6 NOT NULL,
	"reminder_hours_before_expiry" integer DEFAULT 24,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "policy_settings_singleton" CHECK (id = 1),
	CONSTRAINT "policy_settings_positive" CHECK (referral_boost >= 0 and referral_boost_cap >= 0 and verification_window_minutes > 0
        and verification_max_attempts > 0 and retention_days >= 0 and velocity_window_minutes > 0
        and velocity_max_per_ip > 0 and velocity_max_per_prefix > 0 and velocity_prefix_digits between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text,
	"phone_hash" text NOT NULL,
	"phone_country" char(2) NOT NULL,
	"email" text,
	"platform" "platform" NOT NULL,
	"locale" "locale" DEFAULT 'en' NOT NULL,
	"status" "registration_status" DEFAULT 'pending_verification' NOT NULL,
	"referral_points" integer DEFAULT 0 NOT NULL,
	"boost_points" integer DEFAULT 0 NOT NULL,
	"priority" integer GENERATED ALWAYS AS (referral_points + boost_points) STORED NOT NULL,
	"queued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"referral_code" text NOT NULL,
	"referred_by" uuid,
	"legacy_claim" boolean DEFAULT false NOT NULL,
	"review" "review" DEFAULT 'clear' NOT NULL,
	"status_reason" text,
	"signup_ip" text,
	"verification_code_hash" text,
	"verification_expires_at" timestamp with time zone,
	"verification_attempts" smallint DEFAULT 0 NOT NULL,
	"status_token_hash" text,
	"erased_at" timestamp with time zone,
	CONSTRAINT "registrations_queued_when_waiting" CHECK (status <> 'waiting' or queued_at is not null),
	CONSTRAINT "registrations_points_nonnegative" CHECK (referral_points >= 0)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "auth_accounts" (
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "auth_accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"session_token" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_verification_tokens" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	CONSTRAINT "auth_verification_tokens_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"role" "staff_role" NOT NULL,
	"password_hash" text,
	"email_verified" timestamp with time zone,
	"image" text,
	"disabled_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "waitlist_counts" (
	"priority" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batch_failures" ADD CONSTRAINT "batch_failures_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_failures" ADD CONSTRAINT "batch_failures_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_phase_id_phases_id_fk" FOREIGN KEY ("phase_id") REFERENCES "public"."phases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_cancelled_by_staff_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_phase_id_phases_id_fk" FOREIGN KEY ("phase_id") REFERENCES "public"."phases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_inviter_member_id_members_id_fk" FOREIGN KEY ("inviter_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_phase_id_phases_id_fk" FOREIGN KEY ("phase_id") REFERENCES "public"."phases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ledger" ADD CONSTRAINT "quota_ledger_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ledger" ADD CONSTRAINT "quota_ledger_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ledger" ADD CONSTRAINT "quota_ledger_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phase_allowed_phones" ADD CONSTRAINT "phase_allowed_phones_phase_id_phases_id_fk" FOREIGN KEY ("phase_id") REFERENCES "public"."phases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blocked_phones" ADD CONSTRAINT "blocked_phones_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blocked_phones" ADD CONSTRAINT "blocked_phones_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_decisions" ADD CONSTRAINT "policy_decisions_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_updated_by_staff_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_referred_by_registrations_id_fk" FOREIGN KEY ("referred_by") REFERENCES "public"."registrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_accounts" ADD CONSTRAINT "auth_accounts_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_created_at_idx" ON "audit_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events" USING btree ("actor_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","created_at");--> statement-breakpoint
CREATE INDEX "batch_failures_batch_id_idx" ON "batch_failures" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "batches_idempotency_key" ON "batches" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "batches_created_at_idx" ON "batches" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "batches_phase_id_idx" ON "batches" USING btree ("phase_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_live_registration_key" ON "invitations" USING btree ("registration_id") WHERE status in ('pending', 'sent');--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_code_hash_key" ON "invitations" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "invitations_registration_id_idx" ON "invitations" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "invitations_phase_id_idx" ON "invitations" USING btree ("phase_id");--> statement-breakpoint
CREATE INDEX "invitations_batch_id_idx" ON "invitations" USING btree ("batch_id") WHERE batch_id is not null;--> statement-breakpoint
CREATE INDEX "invitations_inviter_member_id_idx" ON "invitations" USING btree ("inviter_member_id") WHERE inviter_member_id is not null;--> statement-breakpoint
CREATE INDEX "invitations_live_expires_at_idx" ON "invitations" USING btree ("expires_at") WHERE status in ('pending', 'sent');--> statement-breakpoint
CREATE INDEX "members_phase_id_idx" ON "members" USING btree ("phase_id");--> statement-breakpoint
CREATE INDEX "members_admitted_at_idx" ON "members" USING btree ("admitted_at");--> statement-breakpoint
CREATE INDEX "quota_ledger_member_id_idx" ON "quota_ledger" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "quota_ledger_invitation_id_idx" ON "quota_ledger" USING btree ("invitation_id") WHERE invitation_id is not null;--> statement-breakpoint
CREATE INDEX "quota_ledger_batch_id_idx" ON "quota_ledger" USING btree ("batch_id") WHERE batch_id is not null;--> statement-breakpoint
CREATE INDEX "notifications_pending_idx" ON "notifications" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "notifications_in_flight_idx" ON "notifications" USING btree ("status","updated_at") WHERE status in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "notifications_status_idx" ON "notifications" USING btree ("status");--> statement-breakpoint
CREATE INDEX "notifications_registration_id_idx" ON "notifications" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "notifications_invitation_id_idx" ON "notifications" USING btree ("invitation_id") WHERE invitation_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "phases_single_active_key" ON "phases" USING btree ("status") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "policy_decisions_registration_id_idx" ON "policy_decisions" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "policy_decisions_created_at_idx" ON "policy_decisions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "registrations_queue_idx" ON "registrations" USING btree ("priority" DESC NULLS FIRST,"queued_at","id") WHERE status = 'waiting';--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_live_phone_key" ON "registrations" USING btree ("phone") WHERE status not in ('lapsed', 'removed');--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_referral_code_key" ON "registrations" USING btree ("referral_code");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_status_token_hash_key" ON "registrations" USING btree ("status_token_hash");--> statement-breakpoint
CREATE INDEX "registrations_referred_by_idx" ON "registrations" USING btree ("referred_by") WHERE referred_by is not null;--> statement-breakpoint
CREATE INDEX "registrations_created_at_idx" ON "registrations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "registrations_phone_hash_idx" ON "registrations" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "registrations_email_idx" ON "registrations" USING btree (lower("email")) WHERE email is not null;--> statement-breakpoint
CREATE INDEX "api_tokens_staff_id_idx" ON "api_tokens" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "auth_accounts_user_id_idx" ON "auth_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_email_key" ON "staff_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "waitlist_counts_bucket_idx" ON "waitlist_counts" USING btree ("priority","bucket");