-- Least data and Law 25 (issue 14 items 5 and 6): what a plain agent sees of a citizen, the
-- anonymization that retention and erasure perform while keeping the figures, the daily purge's
-- record, and an audit log that the application can append to but not rewrite.

-- A purged or erased appointment keeps its site, service, booth, agent, times and status (the
-- statistics) and loses the citizen's name, phone, e-mail and the cancel reason.
ALTER TABLE appointments
    ALTER COLUMN citizen_name DROP NOT NULL,
    ADD COLUMN anonymized_at timestamptz,
    ADD CONSTRAINT appointments_named_until_anonymized
        CHECK (citizen_name IS NOT NULL OR anonymized_at IS NOT NULL);
CREATE INDEX appointments_to_anonymize ON appointments (ends_at) WHERE anonymized_at IS NULL;
CREATE INDEX appointments_citizen_email ON appointments (lower(citizen_email))
    WHERE citizen_email IS NOT NULL;

-- Whether the agent is serving this appointment's citizen now: the queue entry accepted by them,
-- or a call session of theirs that has not ended.
CREATE FUNCTION vg_agent_serves(p_agent uuid, p_appointment uuid) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT EXISTS (SELECT 1 FROM queue_entries q
                         WHERE q.appointment_id = p_appointment AND q.state = 'accepted'
                           AND q.accepted_by = p_agent)
              OR EXISTS (SELECT 1 FROM call_sessions c
                         WHERE c.appointment_id = p_appointment AND c.agent_id = p_agent
                           AND c.ended_at IS NULL) $$;

-- An appointment as a reader may see it. p_plain_agent: the reader's agent id when the reader is
-- an agent without the admin, scheduler or supervisor role, else NULL. A plain agent gets the
-- citizen's phone, e-mail and check-in code only while serving that citizen.
CREATE FUNCTION vg_appointment_seen_by(a appointments, p_plain_agent uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT CASE
              WHEN p_plain_agent IS NULL OR vg_agent_serves(p_plain_agent, a.id)
                  THEN vg_appointment_json(a)
              ELSE vg_appointment_json(a) - 'check_in_code' #- '{citizen,phone}'
                                                             #- '{citizen,email}'
              END $$;

-- One row per day the purge ran: the first node to insert today's row runs it, the others skip.
CREATE TABLE privacy_purge_runs (
    day         date PRIMARY KEY,
    node        text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    report      jsonb
);

-- Anonymizes the citizen part of the given appointments (erasure, and the purge below): name,
-- phone, e-mail, cancel reason, the notes of their call sessions, the details of their history
-- and audit rows. Counts, states and times stay, so the daily figures do not change.
CREATE FUNCTION vg_anonymize_appointments(p_ids uuid[], p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    changed integer;
BEGIN
    UPDATE appointments
       SET citizen_name = NULL, citizen_phone = NULL, citizen_email = NULL,
           cancel_reason = NULL,
           anonymized_at = p_now
     WHERE id = ANY(p_ids) AND anonymized_at IS NULL;
    GET DIAGNOSTICS changed = ROW_COUNT;
    UPDATE call_sessions SET notes = NULL WHERE appointment_id = ANY(p_ids) AND notes IS NOT NULL;
    UPDATE appointment_history SET details = NULL
     WHERE appointment_id = ANY(p_ids) AND details IS NOT NULL;
    UPDATE audit_events SET details = NULL
     WHERE object_type = 'appointment' AND object_id = ANY(p_ids::text[]) AND details IS NOT NULL;
    RETURN changed;
END
$$;

-- What passed its retention, as of p_now. Each interval counts from the end of what it belongs
-- to: an appointment's end, a call session's end, an audit row's or a login session's time.
CREATE FUNCTION vg_privacy_purge(p_now timestamptz, p_citizen interval, p_notes interval,
                                 p_audit_details interval, p_addresses interval)
    RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    ids uuid[];
    appointments_done integer;
    notes_done integer;
    details_done integer;
    addresses_done integer;
    sessions_done integer;
BEGIN
    -- Live appointments (booked, checked in, in a call) keep their citizen whatever their age.
    SELECT coalesce(array_agg(id), '{}') INTO ids FROM appointments
     WHERE anonymized_at IS NULL AND ends_at < p_now - p_citizen
       AND status NOT IN ('booked', 'checked_in', 'in_call');
    appointments_done := vg_anonymize_appointments(ids, p_now);
    UPDATE call_sessions SET notes = NULL
     WHERE notes IS NOT NULL AND ended_at < p_now - p_notes;
    GET DIAGNOSTICS notes_done = ROW_COUNT;
    UPDATE appointment_history SET details = NULL
     WHERE details IS NOT NULL AND at < p_now - p_notes;
    UPDATE audit_events SET details = NULL
     WHERE details IS NOT NULL AND at < p_now - p_audit_details;
    GET DIAGNOSTICS details_done = ROW_COUNT;
    UPDATE audit_events SET source_address = NULL
     WHERE source_address IS NOT NULL AND at < p_now - p_addresses;
    GET DIAGNOSTICS addresses_done = ROW_COUNT;
    UPDATE agent_sessions SET source_address = NULL
     WHERE source_address IS NOT NULL AND created_at < p_now - p_addresses;
    GET DIAGNOSTICS sessions_done = ROW_COUNT;
    RETURN jsonb_build_object('appointments_anonymized', appointments_done,
                              'call_notes_removed', notes_done,
                              'audit_details_removed', details_done,
                              'addresses_removed', addresses_done + sessions_done);
END
$$;

-- The audit log is append-only for whoever runs the application: no DELETE, no TRUNCATE, and an
-- UPDATE only when it removes personal data (details or the source address set to NULL) and
-- leaves who, what, on what and when as they were. A trigger holds for every role, also the
-- single-URL setups where the application owns its tables; only the table's owner can disable
-- it, which is why production runs `serve` as a role that owns nothing (docs/privacy.md).
CREATE FUNCTION vg_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_kind = OLD.actor_kind
           AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.action = OLD.action
           AND NEW.object_type = OLD.object_type
           AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
           AND (NEW.details IS NULL OR NEW.details = OLD.details)
           AND (NEW.source_address IS NULL OR NEW.source_address = OLD.source_address) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION vg_audit_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION vg_audit_append_only();

-- Where the runtime role of docs/privacy.md exists, it holds only what the trigger would allow.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'visioguichet_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM visioguichet_app;
        GRANT SELECT, INSERT ON audit_events TO visioguichet_app;
        GRANT UPDATE (details, source_address) ON audit_events TO visioguichet_app;
    END IF;
END
$$;
