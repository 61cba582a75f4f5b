-- Initial schema, written from the EF Core model (see SqlMigrations).
CREATE TABLE alerts (
    id uuid NOT NULL,
    party character varying(8) NOT NULL,
    sequence bigint NOT NULL,
    kind character varying(32) NOT NULL,
    report_id uuid NOT NULL,
    report_version integer NOT NULL,
    severity integer NOT NULL,
    severity_label_en character varying(64) NOT NULL,
    severity_label_zh character varying(64) NOT NULL,
    title character varying(200) NOT NULL,
    category character varying(64) NOT NULL,
    exercise boolean NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_alerts PRIMARY KEY (id)
);


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


CREATE TABLE party_sequences (
    party character varying(8) NOT NULL,
    last_sequence bigint NOT NULL,
    CONSTRAINT pk_party_sequences PRIMARY KEY (party)
);


CREATE UNIQUE INDEX ix_alerts_party_sequence ON alerts (party, sequence);


CREATE UNIQUE INDEX ix_alerts_report_id_report_version_party_kind ON alerts (report_id, report_version, party, kind);


CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;


