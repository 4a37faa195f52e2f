ALTER TABLE "airbyte_connections" ADD COLUMN "schedule_managed_by" varchar(16) DEFAULT 'airbyte' NOT NULL;--> statement-breakpoint
ALTER TABLE "airbyte_connections" ADD COLUMN "next_sync_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "airbyte_connections_due_idx" ON "airbyte_connections" USING btree ("next_sync_at") WHERE is_active;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_jobs_airbyte_job_key" ON "sync_jobs" USING btree ("connection_row_id","airbyte_job_id");