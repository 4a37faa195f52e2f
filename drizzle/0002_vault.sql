CREATE TABLE "platform_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"provider" varchar(32) NOT NULL,
	"account_id" varchar(255) NOT NULL,
	"account_name" varchar(255) DEFAULT '' NOT NULL,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"expires_at" timestamp with time zone,
	"token_status" varchar(16) DEFAULT 'valid' NOT NULL,
	"token_status_reason" text DEFAULT '' NOT NULL,
	"granted_scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_refreshed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_credentials_tenant_provider_account_key" UNIQUE("tenant_id","provider","account_id")
);
--> statement-breakpoint
CREATE TABLE "tenant_data_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" varchar(16) DEFAULT 'active' NOT NULL,
	"kms_provider" varchar(16) NOT NULL,
	"kms_key_id" varchar(2048) NOT NULL,
	"wrapped_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "tenant_data_keys_version_positive" CHECK ("tenant_data_keys"."version" > 0),
	CONSTRAINT "tenant_data_keys_status" CHECK ("tenant_data_keys"."status" in ('active', 'retired'))
);
--> statement-breakpoint
ALTER TABLE "platform_credentials" ADD CONSTRAINT "platform_credentials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_data_keys" ADD CONSTRAINT "tenant_data_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_credentials_expires_idx" ON "platform_credentials" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_data_keys_tenant_version_key" ON "tenant_data_keys" USING btree ("tenant_id","version");