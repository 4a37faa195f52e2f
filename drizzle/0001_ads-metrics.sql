CREATE TABLE "ad_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" varchar(32) NOT NULL,
	"external_id" varchar(255) NOT NULL,
	"name" varchar(512) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"campaign_id" uuid NOT NULL,
	CONSTRAINT "ad_sets_tenant_source_external_key" UNIQUE("tenant_id","source","external_id"),
	CONSTRAINT "ad_sets_id_tenant_key" UNIQUE("id","tenant_id")
);
--> statement-breakpoint
CREATE TABLE "ads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" varchar(32) NOT NULL,
	"external_id" varchar(255) NOT NULL,
	"name" varchar(512) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ad_set_id" uuid NOT NULL,
	CONSTRAINT "ads_tenant_source_external_key" UNIQUE("tenant_id","source","external_id"),
	CONSTRAINT "ads_id_tenant_key" UNIQUE("id","tenant_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" varchar(32) NOT NULL,
	"external_id" varchar(255) NOT NULL,
	"name" varchar(512) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_tenant_source_external_key" UNIQUE("tenant_id","source","external_id"),
	CONSTRAINT "campaigns_id_tenant_key" UNIQUE("id","tenant_id")
);
--> statement-breakpoint
CREATE TABLE "daily_metrics" (
	"tenant_id" uuid NOT NULL,
	"date" date NOT NULL,
	"source" varchar(32) NOT NULL,
	"level" varchar(8) NOT NULL,
	"external_id" varchar(255) NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"spend" numeric(18, 4) DEFAULT '0' NOT NULL,
	"currency" varchar(3) NOT NULL,
	"conversions" numeric(18, 4) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_metrics_pkey" PRIMARY KEY("tenant_id","date","source","level","external_id"),
	CONSTRAINT "daily_metrics_level" CHECK ("daily_metrics"."level" in ('campaign', 'adset', 'ad')),
	CONSTRAINT "daily_metrics_counts" CHECK ("daily_metrics"."impressions" >= 0 and "daily_metrics"."clicks" >= 0 and "daily_metrics"."spend" >= 0 and "daily_metrics"."conversions" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ad_sets" ADD CONSTRAINT "ad_sets_campaign_id_tenant_id_campaigns_id_tenant_id_fk" FOREIGN KEY ("campaign_id","tenant_id") REFERENCES "public"."campaigns"("id","tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ads" ADD CONSTRAINT "ads_ad_set_id_tenant_id_ad_sets_id_tenant_id_fk" FOREIGN KEY ("ad_set_id","tenant_id") REFERENCES "public"."ad_sets"("id","tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;