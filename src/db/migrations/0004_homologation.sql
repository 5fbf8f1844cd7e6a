CREATE TABLE "attestations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"requirement" text NOT NULL,
	"environment_id" uuid,
	"attested_by" uuid NOT NULL,
	"role" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"attested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conformity_current" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"catalogue_version" text NOT NULL,
	"digest" text NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	"next_change_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conformity_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	"catalogue_version" text NOT NULL,
	"digest" text NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "derogations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"requirement" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"justification" text NOT NULL,
	"compensating_measures" text,
	"expires_at" timestamp with time zone NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_comment" text,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	"revocation_comment" text
);
--> statement-breakpoint
CREATE TABLE "evidence_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"label" text,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "not_applicable_declarations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"requirement" text NOT NULL,
	"justification" text NOT NULL,
	"repository_id" uuid,
	"environment_id" uuid,
	"declared_by" uuid NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conformity_current" ADD CONSTRAINT "conformity_current_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conformity_snapshots" ADD CONSTRAINT "conformity_snapshots_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "derogations" ADD CONSTRAINT "derogations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_documents" ADD CONSTRAINT "evidence_documents_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "not_applicable_declarations" ADD CONSTRAINT "not_applicable_declarations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "not_applicable_declarations" ADD CONSTRAINT "not_applicable_declarations_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "not_applicable_declarations" ADD CONSTRAINT "not_applicable_declarations_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attestations_project_idx" ON "attestations" USING btree ("project_id","attested_at");--> statement-breakpoint
CREATE INDEX "conformity_snapshots_project_idx" ON "conformity_snapshots" USING btree ("project_id","evaluated_at");--> statement-breakpoint
CREATE INDEX "derogations_project_idx" ON "derogations" USING btree ("project_id","requested_at");--> statement-breakpoint
CREATE INDEX "derogations_status_idx" ON "derogations" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_documents_project_sha_key" ON "evidence_documents" USING btree ("project_id","sha256");--> statement-breakpoint
CREATE INDEX "not_applicable_project_idx" ON "not_applicable_declarations" USING btree ("project_id");