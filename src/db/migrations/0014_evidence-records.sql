CREATE TABLE "commit_status_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"repository_id" uuid NOT NULL,
	"run_id" uuid,
	"forge" text NOT NULL,
	"target" text NOT NULL,
	"commit_sha" text NOT NULL,
	"state" text NOT NULL,
	"delivered" boolean NOT NULL,
	"http_status" integer,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "restore_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"environment_id" uuid,
	"performed_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"duration_seconds" integer,
	"evidence_url" text,
	"notes" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "change_size" jsonb;--> statement-breakpoint
ALTER TABLE "commit_status_deliveries" ADD CONSTRAINT "commit_status_deliveries_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commit_status_deliveries" ADD CONSTRAINT "commit_status_deliveries_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restore_tests" ADD CONSTRAINT "restore_tests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restore_tests" ADD CONSTRAINT "restore_tests_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commit_status_deliveries_project_idx" ON "commit_status_deliveries" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "restore_tests_project_idx" ON "restore_tests" USING btree ("project_id","performed_at");