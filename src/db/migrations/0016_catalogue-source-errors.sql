-- A source's last error is kept in French and English; an earlier (English-only) message is kept as both.
ALTER TABLE "catalogue_sources" ALTER COLUMN "last_error" SET DATA TYPE jsonb USING CASE WHEN "last_error" IS NULL THEN NULL ELSE jsonb_build_object('fr', "last_error", 'en', "last_error") END;
