CREATE INDEX "policy_decisions_kind_idx" ON "policy_decisions" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "policy_decisions_outcome_idx" ON "policy_decisions" USING btree ("outcome","id") WHERE outcome is not null;--> statement-breakpoint
CREATE INDEX "registrations_held_queue_idx" ON "registrations" USING btree ("priority" DESC NULLS FIRST,"queued_at","id") WHERE status = 'waiting' and review = 'hold';--> statement-breakpoint
CREATE INDEX "registrations_status_created_at_idx" ON "registrations" USING btree ("status","created_at","id") WHERE status <> 'waiting';