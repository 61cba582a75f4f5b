-- Protocol v1: each version of a report is kept as its own immutable document; the report row keeps where it
-- stands and the main facts of its current version. Idempotency keys and releases to the counterpart.
CREATE TABLE report_versions (
    report_id uuid NOT NULL,
    number integer NOT NULL,
    document jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(200) NOT NULL,
    CONSTRAINT pk_report_versions PRIMARY KEY (report_id, number),
    CONSTRAINT fk_report_versions_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);

-- Reports filed before v1 become version documents of the v1 shape (their kind was not asked: incident).
INSERT INTO report_versions (report_id, number, document, created_at, created_by)
SELECT id, version,
       jsonb_build_object('title', title, 'summary', summary, 'language', language, 'kind', 'incident',
                          'category', category, 'model', jsonb_build_object('name', model_name, 'developer', model_developer),
                          'timeline', jsonb_build_object('occurredAt', occurred_at), 'tlp', tlp, 'exercise', exercise),
       submitted_at, submitted_by
FROM reports;

ALTER TABLE reports DROP COLUMN summary;
ALTER TABLE reports ADD COLUMN kind character varying(16) NOT NULL DEFAULT 'incident';
ALTER TABLE reports ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE reports ADD COLUMN status character varying(16) NOT NULL DEFAULT 'submitted';
ALTER TABLE reports ALTER COLUMN status DROP DEFAULT;
ALTER TABLE reports ADD COLUMN updated_at timestamp with time zone;
UPDATE reports SET updated_at = submitted_at;
ALTER TABLE reports ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE reports ADD COLUMN severity integer;
ALTER TABLE reports ADD COLUMN severity_label_en character varying(64);
ALTER TABLE reports ADD COLUMN severity_label_zh character varying(64);
ALTER TABLE reports ADD COLUMN nullified_at timestamp with time zone;
ALTER TABLE reports ADD COLUMN nullified_by character varying(200);
ALTER TABLE reports ADD COLUMN nullify_reason character varying(2000);

CREATE TABLE idempotency_keys (
    organisation_id uuid NOT NULL,
    key character varying(200) NOT NULL,
    operation character varying(32) NOT NULL,
    request_hash character varying(64) NOT NULL,
    report_id uuid NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (organisation_id, key),
    CONSTRAINT fk_idempotency_keys_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);

CREATE INDEX ix_idempotency_keys_report_id ON idempotency_keys (report_id);

CREATE TABLE releases (
    id uuid NOT NULL,
    report_id uuid NOT NULL,
    version integer NOT NULL,
    to_party character varying(8) NOT NULL,
    tlp character varying(16) NOT NULL,
    withheld text[] NOT NULL,
    view jsonb NOT NULL,
    released_by character varying(200) NOT NULL,
    released_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_releases PRIMARY KEY (id),
    CONSTRAINT fk_releases_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);

CREATE INDEX ix_releases_report_id_to_party_released_at ON releases (report_id, to_party, released_at);
