-- Acknowledgement stamps with their limits from the rule set, and the escalation steps taken when a limit passes.
-- Alerts raised before this have no limits (their due times stay empty) and never escalate.
ALTER TABLE alerts ADD COLUMN from_party character varying(8);
ALTER TABLE alerts ADD COLUMN rule_set_version character varying(16) NOT NULL DEFAULT '1';
ALTER TABLE alerts ALTER COLUMN rule_set_version DROP DEFAULT;
ALTER TABLE alerts ADD COLUMN acknowledge_due_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN acknowledged_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN acknowledged_by character varying(200);
ALTER TABLE alerts ADD COLUMN respond_due_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN responded_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN responded_by character varying(200);
ALTER TABLE alerts ADD COLUMN response_kind character varying(16);
ALTER TABLE alerts ADD COLUMN response_text text;
CREATE INDEX ix_alerts_awaiting_acknowledgement ON alerts (acknowledge_due_at) WHERE acknowledged_at IS NULL;
CREATE INDEX ix_alerts_awaiting_response ON alerts (respond_due_at) WHERE responded_at IS NULL;

CREATE TABLE escalations (
    id uuid NOT NULL,
    alert_id uuid NOT NULL,
    party character varying(8) NOT NULL,
    stamp character varying(16) NOT NULL,
    step integer NOT NULL,
    role character varying(32) NOT NULL,
    due_at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    notified_at timestamp with time zone,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone,
    outcome character varying(500),
    CONSTRAINT pk_escalations PRIMARY KEY (id),
    CONSTRAINT fk_escalations_alerts_alert_id FOREIGN KEY (alert_id) REFERENCES alerts (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_escalations_alert_id_stamp_step ON escalations (alert_id, stamp, step);
CREATE INDEX ix_escalations_unnotified ON escalations (recorded_at) WHERE notified_at IS NULL;
