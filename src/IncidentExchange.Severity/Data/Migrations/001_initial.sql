-- Initial schema, written from the EF Core model (see SqlMigrations).
CREATE TABLE assessments (
    report_id uuid NOT NULL,
    version integer NOT NULL,
    party character varying(8) NOT NULL,
    category character varying(64) NOT NULL,
    signals text[] NOT NULL,
    level integer NOT NULL,
    rule_set_version character varying(32) NOT NULL,
    exercise boolean NOT NULL,
    assessed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_assessments PRIMARY KEY (report_id, version)
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


CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;


