-- Finding an incident's storm lead, and the alerts folded under one, by index: both scanned every unacknowledged alert
-- of the party (51 ms at 41,000 alerts), and the lead was sought while the party's sequence row was locked.
DROP INDEX ix_alerts_unacknowledged_by_incident;
CREATE INDEX ix_alerts_storm_leads ON alerts (party, incident_id, sequence)
    WHERE kind = 'report' AND acknowledged_at IS NULL AND grouped_under IS NULL AND NOT digest;
CREATE INDEX ix_alerts_folded_unacknowledged ON alerts (grouped_under) WHERE acknowledged_at IS NULL AND grouped_under IS NOT NULL;
