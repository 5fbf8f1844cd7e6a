ALTER TABLE "repositories" ALTER COLUMN "external_url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "repositories" ALTER COLUMN "default_branch" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "repositories" ALTER COLUMN "default_branch" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "source" text DEFAULT 'external' NOT NULL;