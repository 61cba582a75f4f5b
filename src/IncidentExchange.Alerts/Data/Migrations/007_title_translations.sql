-- An alert's title in the other language, as Translation rendered it. Kept by the hash of the source text, so that an
-- alert gets the translation of exactly the title it shows (a counterpart's alert shows the title it was released,
-- which a later version may have changed), whichever of the alert and the translation arrives first.
CREATE TABLE title_translations (
    source_hash varchar(64) NOT NULL,
    target_language varchar(16) NOT NULL,
    source_language varchar(16) NOT NULL,
    text varchar(4000),
    status varchar(16) NOT NULL,
    engine varchar(64) NOT NULL,
    model varchar(128),
    translated_at timestamptz,
    CONSTRAINT pk_title_translations PRIMARY KEY (source_hash, target_language)
);
ALTER TABLE alerts ADD COLUMN title_hash varchar(64);
ALTER TABLE alerts ADD COLUMN title_translations jsonb NOT NULL DEFAULT '[]';
CREATE INDEX ix_alerts_title_hash ON alerts (title_hash);
