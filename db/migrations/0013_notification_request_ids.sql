-- The request that wrote a message, handed on by the relay to its delivery job (log lines name it).
-- A nullable column without a default: a catalog change only, no rewrite of the table.
ALTER TABLE "notifications" ADD COLUMN "request_id" text;
