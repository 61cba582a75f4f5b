-- The home contact point's obligation to notify the counterpart of a serious report, by the rule set's deadline.
ALTER TABLE alerts ADD COLUMN notify_counterpart_due_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN counterpart_notified_at timestamp with time zone;
ALTER TABLE alerts ADD COLUMN counterpart_notified_by character varying(200);
CREATE INDEX ix_alerts_awaiting_counterpart_notice ON alerts (notify_counterpart_due_at) WHERE counterpart_notified_at IS NULL;
