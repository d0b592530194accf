-- Credentials that can be taken back (issue 14, items 2 and 3).

-- Every login attempt, for the limits per client address and per e-mail (desk/AgentLogins). The
-- e-mail is kept as a hash of its lower-case form, also when no agent has it: the counters must
-- not tell known addresses from unknown ones. A row is a failure until its login succeeds.
CREATE TABLE login_attempts (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    email_key      text NOT NULL,
    source_address text NOT NULL,
    succeeded      boolean NOT NULL DEFAULT false
);
CREATE INDEX login_attempts_address ON login_attempts (source_address, at);
CREATE INDEX login_attempts_email ON login_attempts (email_key, at);

-- PATCH /agents/{id} with If-Match: the version is the ETag.
ALTER TABLE agents ADD COLUMN version integer NOT NULL DEFAULT 1;
-- Set by an administrator's reset: the agent chooses a new password before doing anything else.
ALTER TABLE agents ADD COLUMN password_must_change boolean NOT NULL DEFAULT false;

-- API keys that end by themselves (NULL: until revoked).
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
