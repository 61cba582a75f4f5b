-- Storm control: alerts of one incident fold under the first unacknowledged one; low levels may go to a digest.
ALTER TABLE alerts ADD COLUMN incident_id uuid;
ALTER TABLE alerts ADD COLUMN grouped_under uuid;
ALTER TABLE alerts ADD COLUMN digest boolean NOT NULL DEFAULT false;
ALTER TABLE alerts ALTER COLUMN digest DROP DEFAULT;
ALTER TABLE alerts ADD COLUMN digested_at timestamp with time zone;
CREATE INDEX ix_alerts_unacknowledged_by_incident ON alerts (party, incident_id) WHERE acknowledged_at IS NULL;
CREATE INDEX ix_alerts_undigested ON alerts (party) WHERE digest AND digested_at IS NULL;

CREATE TABLE party_settings (
    party character varying(8) NOT NULL,
    digest_up_to_level integer NOT NULL,
    digest_every_minutes integer NOT NULL,
    last_digest_at timestamp with time zone,
    updated_by character varying(200),
    updated_at timestamp with time zone,
    CONSTRAINT pk_party_settings PRIMARY KEY (party)
);
