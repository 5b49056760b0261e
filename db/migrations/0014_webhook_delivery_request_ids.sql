-- The request whose change raised a webhook event, handed on by the relay to its delivery job.
-- A nullable column without a default: a catalog change only, no rewrite of the table.
ALTER TABLE "webhook_deliveries" ADD COLUMN "request_id" text;
