-- Each alert keeps the escalation ladder of the rule set that set its limits (a newly agreed rule set may change it).
-- Alerts raised before this escalate by the ladder of the protocol's rule set, version 1.
ALTER TABLE alerts ADD COLUMN escalation_ladder jsonb NOT NULL
    DEFAULT '[{"afterMinutes": 0, "role": "ncp-duty"}, {"afterMinutes": 15, "role": "ncp-officer"}, {"afterMinutes": 60, "role": "admin"}]';
ALTER TABLE alerts ALTER COLUMN escalation_ladder DROP DEFAULT;
