-- Initial schema, written from the EF Core model (see SqlMigrations).
CREATE TABLE inbox_messages (
    message_id uuid NOT NULL,
    consumer character varying(200) NOT NULL,
    processed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id, consumer)
);


CREATE TABLE outbox_messages (
    id uuid NOT NULL,
    message_type character varying(300) NOT NULL,
    body jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
);


CREATE TABLE reports (
    id uuid NOT NULL,
    version integer NOT NULL,
    party character varying(8) NOT NULL,
    organisation_id uuid NOT NULL,
    submitted_by character varying(200) NOT NULL,
    title character varying(200) NOT NULL,
    summary character varying(20000) NOT NULL,
    language character varying(16) NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    category character varying(64) NOT NULL,
    model_name character varying(200) NOT NULL,
    model_developer character varying(200) NOT NULL,
    tlp character varying(16) NOT NULL,
    exercise boolean NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_reports PRIMARY KEY (id)
);


CREATE TABLE translations (
    report_id uuid NOT NULL,
    version integer NOT NULL,
    field character varying(64) NOT NULL,
    target_language character varying(16) NOT NULL,
    source_language character varying(16) NOT NULL,
    text text,
    status character varying(16) NOT NULL,
    engine character varying(64) NOT NULL,
    source_hash character varying(64) NOT NULL,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_translations PRIMARY KEY (report_id, version, field, target_language),
    CONSTRAINT fk_translations_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);


CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;


CREATE INDEX ix_reports_organisation_id ON reports (organisation_id);


CREATE INDEX ix_reports_party_submitted_at ON reports (party, submitted_at);


