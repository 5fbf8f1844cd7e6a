ALTER TABLE "conformity_current" ADD COLUMN "summary" jsonb;--> statement-breakpoint
-- Projects evaluated before this column existed: their summary from their latest history point (same figures).
UPDATE "conformity_current" c SET "summary" = jsonb_build_object(
	'scores', jsonb_build_object('P', coalesce((s."snapshot" #>> '{P,ratio}')::float8, 0), 'I', coalesce((s."snapshot" #>> '{I,ratio}')::float8, 0)),
	'counts', (
		SELECT jsonb_build_object(
			'satisfied', count(*) FILTER (WHERE e.value #>> '{}' = 'satisfied'),
			'not-satisfied', count(*) FILTER (WHERE e.value #>> '{}' = 'not-satisfied'),
			'derogated', count(*) FILTER (WHERE e.value #>> '{}' = 'derogated'),
			'awaiting-attestation', count(*) FILTER (WHERE e.value #>> '{}' = 'awaiting-attestation'),
			'not-applicable', count(*) FILTER (WHERE e.value #>> '{}' = 'not-applicable'))
		FROM jsonb_each(s."snapshot" -> 'states') e))
FROM (
	SELECT DISTINCT ON ("project_id") "project_id", "snapshot" FROM "conformity_snapshots" ORDER BY "project_id", "evaluated_at" DESC, "id" DESC
) s
WHERE s."project_id" = c."project_id";
