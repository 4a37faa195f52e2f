ALTER TABLE "airbyte_connections" ADD COLUMN "namespace_format" varchar(63);--> statement-breakpoint
ALTER TABLE "airbyte_connections" ADD COLUMN "stream_prefix" varchar(96);