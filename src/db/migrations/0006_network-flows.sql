CREATE TABLE "network_flows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"direction" text NOT NULL,
	"peer_namespace_labels" jsonb,
	"peer_cidr" text,
	"peer_except" text[],
	"ports" jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "network_flows" ADD CONSTRAINT "network_flows_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "network_flows_project_name_key" ON "network_flows" USING btree ("project_id","name");