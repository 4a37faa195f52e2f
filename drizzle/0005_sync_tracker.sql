ALTER TABLE "sync_jobs" ADD COLUMN "next_check_at" timestamp with time zone DEFAULT now() + interval '1 minute';--> statement-breakpoint
ALTER TABLE "sync_jobs" ADD COLUMN "checks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "sync_jobs_next_check_idx" ON "sync_jobs" USING btree ("next_check_at") WHERE status in ('queued', 'running');