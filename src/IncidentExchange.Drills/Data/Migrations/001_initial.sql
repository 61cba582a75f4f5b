-- Initial schema, written from the EF Core model (see SqlMigrations). The request an inject was first sent as is kept
-- as text, byte for byte: a retry must send the same body under the same Idempotency-Key.
CREATE TABLE drills (
    id uuid NOT NULL,
    name character varying(200) NOT NULL,
    scenario character varying(64),
    parties text[] NOT NULL,
    status character varying(16) NOT NULL,
    created_by character varying(200) NOT NULL,
    created_party character varying(8) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    running_since timestamp with time zone,
    elapsed_ms bigint NOT NULL,
    ended_at timestamp with time zone,
    check_acknowledge_within_minutes integer,
    CONSTRAINT pk_drills PRIMARY KEY (id)
);

CREATE TABLE inbox_messages (
    message_id uuid NOT NULL,
    consumer character varying(200) NOT NULL,
    processed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id, consumer)
);

CREATE TABLE observations (
    subject_id uuid NOT NULL,
    party character varying(8) NOT NULL,
    stamp character varying(16) NOT NULL,
    at timestamp with time zone NOT NULL,
    by character varying(200),
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_observations PRIMARY KEY (subject_id, party, stamp)
);

CREATE TABLE outbox_messages (
    id uuid NOT NULL,
    message_type character varying(300) NOT NULL,
    body jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
);

CREATE TABLE checks (
    id uuid NOT NULL,
    drill_id uuid NOT NULL,
    party character varying(8) NOT NULL,
    acknowledge_within_minutes integer NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_checks PRIMARY KEY (id),
    CONSTRAINT fk_checks_drills_drill_id FOREIGN KEY (drill_id) REFERENCES drills (id) ON DELETE CASCADE
);

CREATE TABLE injects (
    id uuid NOT NULL,
    drill_id uuid NOT NULL,
    sequence integer NOT NULL,
    offset_minutes integer NOT NULL,
    party character varying(8) NOT NULL,
    lab character varying(64) NOT NULL,
    title character varying(200) NOT NULL,
    template jsonb NOT NULL,
    expectations jsonb NOT NULL,
    request text,
    filed_at timestamp with time zone,
    report_id uuid,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone,
    error character varying(1000),
    failed_at timestamp with time zone,
    CONSTRAINT pk_injects PRIMARY KEY (id),
    CONSTRAINT fk_injects_drills_drill_id FOREIGN KEY (drill_id) REFERENCES drills (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_checks_drill_id_party ON checks (drill_id, party);

CREATE INDEX ix_drills_active ON drills (status) WHERE status IN ('scheduled', 'running');

CREATE UNIQUE INDEX ix_injects_drill_id_sequence ON injects (drill_id, sequence);

CREATE INDEX ix_injects_report_id ON injects (report_id);

CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;

