-- The order in which a party's reports were grouped: triage scores the candidates without the party's lock, then,
-- under it, only the reports grouped since it read them (a higher seq), so that one party's reports are no longer
-- grouped strictly one at a time.
ALTER TABLE report_features ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX ix_report_features_party_exercise_seq ON report_features (party, exercise, seq);
