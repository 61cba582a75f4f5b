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


CREATE TABLE results (
    report_id uuid NOT NULL,
    version integer NOT NULL,
    party character varying(8) NOT NULL,
    category character varying(64) NOT NULL,
    suggested_category character varying(64),
    signals text[] NOT NULL,
    exercise boolean NOT NULL,
    triaged_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_results PRIMARY KEY (report_id, version)
);


CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;


