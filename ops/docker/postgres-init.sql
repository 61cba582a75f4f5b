-- One database per service on the shared server (DESIGN.md §3); ops/infra.sh does the same locally.
CREATE DATABASE ix_identity;
CREATE DATABASE ix_reports;
CREATE DATABASE ix_triage;
CREATE DATABASE ix_translation;
CREATE DATABASE ix_severity;
CREATE DATABASE ix_drills;
CREATE DATABASE ix_alerts;
