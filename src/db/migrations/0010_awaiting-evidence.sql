-- Conformity gains the "awaiting-evidence" state (no claim without machine evidence). Stored summaries count
-- requirements per state: give every summary the new count, from the project's latest history point.
UPDATE "conformity_current" c SET "summary" = jsonb_set(c."summary", '{counts,awaiting-evidence}', to_jsonb((
	SELECT count(*) FROM jsonb_each(s."snapshot" -> 'states') e WHERE e.value #>> '{}' = 'awaiting-evidence')))
FROM (
	SELECT DISTINCT ON ("project_id") "project_id", "snapshot" FROM "conformity_snapshots" ORDER BY "project_id", "evaluated_at" DESC, "id" DESC
) s
WHERE s."project_id" = c."project_id" AND c."summary" IS NOT NULL;
