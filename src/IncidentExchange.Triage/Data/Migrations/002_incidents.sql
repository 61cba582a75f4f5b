-- Reports grouped into incidents: what each report is compared by, the incidents, each report's link, and officers' decisions.
-- pg_trgm gives similarity(), by which report texts are compared.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE incidents (
    id uuid NOT NULL,
    party character varying(8) NOT NULL,
    exercise boolean NOT NULL,
    title character varying(300) NOT NULL,
    category character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    merged_into uuid,
    CONSTRAINT pk_incidents PRIMARY KEY (id)
);

CREATE INDEX ix_incidents_party_exercise_updated_at ON incidents (party, exercise, updated_at);

CREATE TABLE incident_links (
    report_id uuid NOT NULL,
    incident_id uuid NOT NULL,
    state character varying(16) NOT NULL,
    score double precision,
    reason character varying(1000) NOT NULL,
    linked_at timestamp with time zone NOT NULL,
    decided_by character varying(200),
    decided_at timestamp with time zone,
    CONSTRAINT pk_incident_links PRIMARY KEY (report_id),
    CONSTRAINT fk_incident_links_incidents_incident_id FOREIGN KEY (incident_id) REFERENCES incidents (id) ON DELETE CASCADE
);

CREATE INDEX ix_incident_links_incident_id ON incident_links (incident_id);

CREATE TABLE link_decisions (
    id uuid NOT NULL,
    incident_id uuid NOT NULL,
    report_id uuid,
    decision character varying(16) NOT NULL,
    other_incident_id uuid,
    decided_by character varying(200) NOT NULL,
    decided_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_link_decisions PRIMARY KEY (id),
    CONSTRAINT fk_link_decisions_incidents_incident_id FOREIGN KEY (incident_id) REFERENCES incidents (id) ON DELETE CASCADE
);

CREATE INDEX ix_link_decisions_incident_id_decided_at ON link_decisions (incident_id, decided_at);

CREATE TABLE report_features (
    report_id uuid NOT NULL,
    party character varying(8) NOT NULL,
    exercise boolean NOT NULL,
    category character varying(64) NOT NULL,
    title character varying(300) NOT NULL,
    text text NOT NULL,
    model_name character varying(200),
    model_key character varying(200),
    developer_key character varying(200),
    occurred_at timestamp with time zone NOT NULL,
    names text[] NOT NULL,
    concepts text[] NOT NULL,
    indicators text[] NOT NULL,
    CONSTRAINT pk_report_features PRIMARY KEY (report_id)
);

CREATE INDEX ix_report_features_party_exercise_occurred_at ON report_features (party, exercise, occurred_at);
CREATE INDEX ix_report_features_indicators ON report_features USING gin (indicators);
