-- Visioguichet schema, version 1. The migration runner wraps this file in one transaction (no
-- BEGIN/COMMIT here). Nothing is deleted by the API: cancellations, revocations and outcomes are
-- states with who and when. Secrets (API keys, booth and session tokens) are stored only as
-- SHA-256 hex hashes; agent passwords as PBKDF2 strings (see server/common/Secret.hpp).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- An IANA zone name PostgreSQL knows (so AT TIME ZONE works), not a POSIX offset string.
CREATE FUNCTION vg_is_timezone(tz text) RETURNS boolean
    LANGUAGE sql STABLE STRICT
    AS $$ SELECT tz ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'
                 AND EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz) $$;

CREATE TYPE vg_time_range AS RANGE (subtype = time);

CREATE TABLE sites (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name_fr    text NOT NULL CHECK (length(name_fr) BETWEEN 1 AND 200),
    name_en    text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    timezone   text NOT NULL DEFAULT 'America/Toronto' CHECK (vg_is_timezone(timezone)),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE booths (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    site_id               uuid NOT NULL REFERENCES sites,
    label                 text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    enrollment_token_hash text UNIQUE,
    enrollment_expires_at timestamptz,
    enrolled_at           timestamptz,  -- the enrolment token was used: it is single-use
    device_token_hash     text UNIQUE,
    revoked_at            timestamptz,
    revoked_by            text,
    last_seen_at          timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booths_site ON booths (site_id);

CREATE TABLE services (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name_fr          text NOT NULL CHECK (length(name_fr) BETWEEN 1 AND 200),
    name_en          text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    walk_in_allowed  boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    password_hash text NOT NULL,
    roles         text[] NOT NULL
        CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['agent', 'supervisor', 'admin']),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agents_email ON agents (lower(email));

CREATE TABLE agent_sites (
    agent_id uuid NOT NULL REFERENCES agents,
    site_id  uuid NOT NULL REFERENCES sites,
    PRIMARY KEY (agent_id, site_id)
);
CREATE INDEX agent_sites_site ON agent_sites (site_id);

CREATE TABLE agent_services (
    agent_id   uuid NOT NULL REFERENCES agents,
    service_id uuid NOT NULL REFERENCES services,
    PRIMARY KEY (agent_id, service_id)
);

CREATE TABLE agent_languages (
    agent_id uuid NOT NULL REFERENCES agents,
    language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    PRIMARY KEY (agent_id, language)
);

-- Weekly availability in the site's local time (weekday 1 = Monday, ISO). An agent works at a site
-- they cover, and never in two overlapping windows.
CREATE TABLE availability_rules (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id   uuid NOT NULL,
    site_id    uuid NOT NULL,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time time NOT NULL,
    end_time   time NOT NULL,
    CHECK (start_time < end_time),
    FOREIGN KEY (agent_id, site_id) REFERENCES agent_sites ON DELETE CASCADE,
    CONSTRAINT availability_rules_no_overlap EXCLUDE USING gist (
        agent_id WITH =, weekday WITH =, vg_time_range(start_time, end_time) WITH &&)
);
CREATE INDEX availability_rules_site ON availability_rules (site_id, weekday);

CREATE TYPE appointment_status AS ENUM (
    'booked', 'checked_in', 'in_call', 'completed', 'cancelled', 'no_show');

CREATE TABLE appointments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    site_id          uuid NOT NULL REFERENCES sites,
    service_id       uuid NOT NULL REFERENCES services,
    booth_id         uuid NOT NULL REFERENCES booths,
    agent_id         uuid NOT NULL REFERENCES agents,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    during           tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
    citizen_name     text NOT NULL CHECK (length(citizen_name) BETWEEN 1 AND 200),
    citizen_language text NOT NULL CHECK (citizen_language ~ '^[a-z]{2,3}$'),
    citizen_phone    text CHECK (length(citizen_phone) <= 32),
    citizen_email    text CHECK (length(citizen_email) <= 254),
    check_in_code    text NOT NULL CHECK (check_in_code ~ '^[A-Z0-9]{4,12}$'),
    status           appointment_status NOT NULL DEFAULT 'booked',
    checked_in_at    timestamptz,
    completed_at     timestamptz,
    no_show_at       timestamptz,
    cancel_reason    text CHECK (length(cancel_reason) <= 500),
    cancelled_by     text,
    cancelled_at     timestamptz,
    version          integer NOT NULL DEFAULT 1,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    -- The final guard against double booking, whatever the application does (23P01 -> 409).
    CONSTRAINT appointments_booth_free EXCLUDE USING gist (booth_id WITH =, during WITH &&)
        WHERE (status IN ('booked', 'checked_in', 'in_call')),
    CONSTRAINT appointments_agent_free EXCLUDE USING gist (agent_id WITH =, during WITH &&)
        WHERE (status IN ('booked', 'checked_in', 'in_call'))
);
CREATE UNIQUE INDEX appointments_check_in_code ON appointments (site_id, check_in_code)
    WHERE status IN ('booked', 'checked_in', 'in_call');
CREATE INDEX appointments_site_start ON appointments (site_id, starts_at);
CREATE INDEX appointments_booked_start ON appointments (starts_at) WHERE status = 'booked';

-- Every reschedule, cancellation and status change of an appointment, with who and when.
CREATE TABLE appointment_history (
    id             bigserial PRIMARY KEY,
    appointment_id uuid NOT NULL REFERENCES appointments,
    action         text NOT NULL,  -- booked, rescheduled, cancelled, checked_in, no_show, ...
    actor          text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    old_starts_at  timestamptz,
    new_starts_at  timestamptz,
    old_booth_id   uuid,
    new_booth_id   uuid,
    old_agent_id   uuid,
    new_agent_id   uuid,
    details        jsonb
);
CREATE INDEX appointment_history_appointment ON appointment_history (appointment_id);

CREATE TYPE queue_kind AS ENUM ('appointment', 'walk_in');
CREATE TYPE queue_state AS ENUM ('waiting', 'offered', 'accepted', 'done', 'abandoned');

CREATE TABLE queue_entries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    site_id          uuid NOT NULL REFERENCES sites,
    booth_id         uuid NOT NULL REFERENCES booths,  -- where the citizen waits
    kind             queue_kind NOT NULL,
    appointment_id   uuid REFERENCES appointments,
    service_id       uuid NOT NULL REFERENCES services,
    language         text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    state            queue_state NOT NULL DEFAULT 'waiting',
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    due_at           timestamptz,  -- the appointment's start; null for walk-ins
    priority         integer NOT NULL DEFAULT 0,  -- higher first (an agent dropped the call)
    offered_to       uuid REFERENCES agents,
    offered_at       timestamptz,
    offer_expires_at timestamptz,
    offer_count      integer NOT NULL DEFAULT 0,
    accepted_by      uuid REFERENCES agents,
    accepted_at      timestamptz,
    done_at          timestamptz,
    outcome          text,
    abandoned_at     timestamptz,
    CHECK ((kind = 'appointment') = (appointment_id IS NOT NULL)),
    CHECK ((state = 'offered') = (offered_to IS NOT NULL AND offer_expires_at IS NOT NULL))
);
-- One live entry per booth and per appointment; one pending offer per agent.
CREATE UNIQUE INDEX queue_entries_booth_live ON queue_entries (booth_id)
    WHERE state IN ('waiting', 'offered', 'accepted');
CREATE UNIQUE INDEX queue_entries_appointment_live ON queue_entries (appointment_id)
    WHERE state IN ('waiting', 'offered', 'accepted');
CREATE UNIQUE INDEX queue_entries_agent_offer ON queue_entries (offered_to)
    WHERE state = 'offered';
CREATE INDEX queue_entries_site_live ON queue_entries (site_id, enqueued_at)
    WHERE state IN ('waiting', 'offered');
CREATE INDEX queue_entries_site_enqueued ON queue_entries (site_id, enqueued_at);

CREATE TYPE presence_state AS ENUM ('offline', 'available', 'offered', 'in_call', 'wrap_up', 'away');

CREATE TABLE agent_presence (
    agent_id     uuid PRIMARY KEY REFERENCES agents,
    state        presence_state NOT NULL DEFAULT 'offline',
    since        timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()  -- console heartbeat, for the grace period
);

CREATE TABLE agent_sessions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id       uuid NOT NULL REFERENCES agents,
    token_hash     text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    last_used_at   timestamptz,
    source_address text
);
CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);

CREATE TYPE call_outcome AS ENUM ('served', 'no_show', 'transferred', 'technical_failure');

CREATE TABLE call_sessions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    site_id        uuid NOT NULL REFERENCES sites,
    booth_id       uuid NOT NULL REFERENCES booths,
    agent_id       uuid NOT NULL REFERENCES agents,
    queue_entry_id uuid NOT NULL UNIQUE REFERENCES queue_entries,
    appointment_id uuid REFERENCES appointments,
    room_id        text NOT NULL UNIQUE,
    started_at     timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,
    end_reason     text,
    outcome        call_outcome,
    notes          text CHECK (length(notes) <= 4000),
    quality        jsonb,
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX call_sessions_booth_live ON call_sessions (booth_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX call_sessions_agent_live ON call_sessions (agent_id) WHERE ended_at IS NULL;
CREATE INDEX call_sessions_site_started ON call_sessions (site_id, started_at);

CREATE TYPE api_role AS ENUM ('admin', 'scheduler', 'supervisor');

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         api_role NOT NULL,
    key_hash     text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT 'cli',
    revoked_at   timestamptz,
    revoked_by   text,
    last_used_at timestamptz
);

-- The first answer to a request with an Idempotency-Key, replayed for the same key and body.
CREATE TABLE idempotency_keys (
    principal       text NOT NULL,  -- "api_key:<id>", "agent:<id>"
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash    text NOT NULL,  -- SHA-256 of method, path and body
    response_status integer,
    response_body   text,
    response_etag   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE audit_events (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_kind     text NOT NULL,  -- api_key, agent, booth, system
    actor_id       text,
    action         text NOT NULL,  -- site.create, appointment.cancel, ...
    object_type    text NOT NULL,
    object_id      text,
    source_address text,
    details        jsonb
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id);

-- What live-event subscribers are told about, written in the same transaction as the change.
-- The notification carries the id only; listeners read the row (and what it names) after commit.
CREATE TABLE domain_events (
    id         bigserial PRIMARY KEY,
    type       text NOT NULL,  -- queue.changed, offer, session.ready, session.ended, ...
    site_id    uuid,
    agent_id   uuid,
    booth_id   uuid,
    object_id  uuid,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domain_events_at ON domain_events (at);

CREATE FUNCTION vg_notify_domain_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('vg_events', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER domain_events_notify AFTER INSERT ON domain_events
    FOR EACH ROW EXECUTE FUNCTION vg_notify_domain_event();

-- Check-in attempts per booth, for the rate limit on wrong codes.
CREATE TABLE check_in_attempts (
    id        bigserial PRIMARY KEY,
    booth_id  uuid NOT NULL REFERENCES booths,
    at        timestamptz NOT NULL DEFAULT now(),
    succeeded boolean NOT NULL
);
CREATE INDEX check_in_attempts_booth_at ON check_in_attempts (booth_id, at);

-- Values every server node sharing this database must agree on. join_token_key signs the
-- short-lived call-session join tokens (HMAC-SHA256) that signaling verifies; made here from the
-- server's strong random generator (gen_random_uuid: 122 random bits each).
CREATE TABLE server_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO server_settings (name, value)
VALUES ('join_token_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
