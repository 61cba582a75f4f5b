-- An inbox line is recorded the first time its reader sees it: finding whether they have is by reader and report.
CREATE INDEX ix_cross_party_reads_reader_report_id ON cross_party_reads (reader, report_id);
