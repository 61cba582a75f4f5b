-- Rule-set versions and the parties' approvals: a version is in force once an admin of each party has approved it.
CREATE TABLE rule_sets (
    version character varying(16) NOT NULL,
    document jsonb NOT NULL,
    proposed_by character varying(200) NOT NULL,
    proposed_party character varying(8) NOT NULL,
    proposed_at timestamp with time zone NOT NULL,
    in_force_from timestamp with time zone,
    CONSTRAINT pk_rule_sets PRIMARY KEY (version)
);
CREATE INDEX ix_rule_sets_in_force_from ON rule_sets (in_force_from);

CREATE TABLE rule_set_approvals (
    version character varying(16) NOT NULL,
    party character varying(8) NOT NULL,
    approved_by character varying(200) NOT NULL,
    approved_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_rule_set_approvals PRIMARY KEY (version, party),
    CONSTRAINT fk_rule_set_approvals_rule_sets_version FOREIGN KEY (version) REFERENCES rule_sets (version) ON DELETE CASCADE
);
