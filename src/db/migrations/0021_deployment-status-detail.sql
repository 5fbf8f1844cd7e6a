ALTER TABLE "environment_deployment_status" ADD COLUMN "status_detail" jsonb;--> statement-breakpoint
ALTER TABLE "environment_deployment_status" ADD COLUMN "argocd_message" text;