ALTER TABLE "run_steps" ADD COLUMN "note" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "note" jsonb;