CREATE TABLE "git_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"repository_key" text NOT NULL,
	"seq" integer NOT NULL,
	"refs" jsonb NOT NULL,
	"bundle" "bytea",
	"base" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "git_snapshots_key_seq_key" ON "git_snapshots" USING btree ("repository_key","seq");