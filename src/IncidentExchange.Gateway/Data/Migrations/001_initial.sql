CREATE TABLE peers (
    party character varying(8) NOT NULL,
    thumbprint character varying(64) NOT NULL,
    descriptor text NOT NULL,
    pinned_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_peers PRIMARY KEY (party)
);

CREATE TABLE record_entries (
    position bigint NOT NULL,
    direction character varying(8) NOT NULL CHECK (direction IN ('sent', 'received')),
    type character varying(16) NOT NULL CHECK (type IN ('envelope', 'receipt')),
    link character varying(32) NOT NULL,
    seq bigint NOT NULL,
    hash character varying(64) NOT NULL,
    document text NOT NULL,
    chain character varying(64) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_record_entries PRIMARY KEY (position)
);
CREATE UNIQUE INDEX ix_record_entries_direction_type_link_seq ON record_entries (direction, type, link, seq);

-- The record is append-only. This stops the platform's own code and an operator's slip; it does not stop someone with
-- the database owner's rights (who can drop it), which is why the other node's record and the check that compares the
-- two (ops/verify-record.sh) exist.
CREATE FUNCTION record_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the record is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER record_entries_append_only BEFORE UPDATE OR DELETE ON record_entries
    FOR EACH ROW EXECUTE FUNCTION record_entries_append_only();

CREATE TABLE refused_documents (
    id uuid NOT NULL,
    received_at timestamp with time zone NOT NULL,
    reason character varying(1000) NOT NULL,
    document text NOT NULL,
    CONSTRAINT pk_refused_documents PRIMARY KEY (id)
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
ALTER TABLE outbox_messages SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

CREATE TABLE inbox_messages (
    message_id uuid NOT NULL,
    consumer character varying(200) NOT NULL,
    processed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id, consumer)
);
