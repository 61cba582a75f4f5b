-- People join a party by invitation: its admin invites into an organisation with roles; the invitee chooses a user
-- name and password with the one-time code (stored as a hash; shown to the admin once).
CREATE TABLE invitations (
    id uuid NOT NULL,
    party character varying(8) NOT NULL,
    organisation_id uuid NOT NULL,
    roles text[] NOT NULL,
    code_hash character varying(64) NOT NULL,
    created_by character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    accepted_user_id uuid,
    CONSTRAINT pk_invitations PRIMARY KEY (id),
    CONSTRAINT fk_invitations_organisations_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_invitations_code_hash ON invitations (code_hash);
CREATE INDEX ix_invitations_organisation_id ON invitations (organisation_id);
