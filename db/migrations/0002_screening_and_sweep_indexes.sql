CREATE TABLE "registration_signals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"registration_id" uuid,
	"ip" text,
	"phone_prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screening_queue" (
	"registration_id" uuid PRIMARY KEY NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registration_signals" ADD CONSTRAINT "registration_signals_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_queue" ADD CONSTRAINT "screening_queue_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registration_signals_ip_idx" ON "registration_signals" USING btree ("ip","created_at") WHERE ip is not null;--> statement-breakpoint
CREATE INDEX "registration_signals_prefix_idx" ON "registration_signals" USING btree ("phone_prefix","created_at");--> statement-breakpoint
CREATE INDEX "registration_signals_created_at_idx" ON "registration_signals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "registration_signals_registration_id_idx" ON "registration_signals" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "screening_queue_enqueued_at_idx" ON "screening_queue" USING btree ("enqueued_at");--> statement-breakpoint
CREATE INDEX "registrations_pending_expiry_idx" ON "registrations" USING btree ("verification_expires_at") WHERE status = 'pending_verification';--> statement-breakpoint
CREATE INDEX "registrations_erasable_idx" ON "registrations" USING btree ("status_changed_at") WHERE status in ('lapsed', 'removed') and erased_at is null;