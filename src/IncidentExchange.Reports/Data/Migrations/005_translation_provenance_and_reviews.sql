-- A translation belongs to the source text it was made from (its hash), not to a report version: an unchanged field
-- keeps its translation across versions, a changed one shows the old translation as stale until the new one comes.
-- Translations carry the engine's model and glossary notes; officers' corrections are kept beside the machine's.
DELETE FROM translations t USING translations u
WHERE t.report_id = u.report_id AND t.field = u.field AND t.target_language = u.target_language
  AND t.source_hash = u.source_hash AND t.version > u.version;
DELETE FROM translations WHERE field = 'tlp';
UPDATE translations SET status = 'glossary' WHERE status = 'translated';
ALTER TABLE translations DROP CONSTRAINT pk_translations;
ALTER TABLE translations ADD CONSTRAINT pk_translations PRIMARY KEY (report_id, field, target_language, source_hash);
ALTER TABLE translations ADD COLUMN model character varying(128);
ALTER TABLE translations ADD COLUMN glossary_notes text[] NOT NULL DEFAULT '{}';
ALTER TABLE translations ALTER COLUMN glossary_notes DROP DEFAULT;
ALTER TABLE translations ADD COLUMN translated_at timestamp with time zone;
UPDATE translations SET translated_at = received_at WHERE text IS NOT NULL;

CREATE TABLE translation_reviews (
    id uuid NOT NULL,
    report_id uuid NOT NULL,
    field character varying(64) NOT NULL,
    target_language character varying(16) NOT NULL,
    source_hash character varying(64) NOT NULL,
    text text NOT NULL,
    reviewed_by character varying(200) NOT NULL,
    reviewer_party character varying(8) NOT NULL,
    reviewed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_translation_reviews PRIMARY KEY (id),
    CONSTRAINT fk_translation_reviews_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);
CREATE INDEX ix_translation_reviews_report_id_reviewed_at ON translation_reviews (report_id, reviewed_at);
