-- gatehouse:no-transaction
-- PostgreSQL forbids using an enum value in the transaction that added it: these run on their
-- own (autocommit), before the migrations and the code that record such decisions.
ALTER TYPE "public"."policy_decision_kind" ADD VALUE IF NOT EXISTS 'sms_budget';--> statement-breakpoint
ALTER TYPE "public"."policy_decision_kind" ADD VALUE IF NOT EXISTS 'sms_withheld';
