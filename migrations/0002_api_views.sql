-- How the REST API shows each resource: one JSON function per row type, so every route answers
-- with the same shape. Times are RFC 3339 in UTC with a "Z".

CREATE FUNCTION vg_time(t timestamptz) RETURNS text
    LANGUAGE sql STABLE STRICT
    AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE FUNCTION vg_site_json(s sites) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object('id', s.id, 'code', s.code, 'name_fr', s.name_fr,
                                    'name_en', s.name_en, 'timezone', s.timezone,
                                    'created_at', vg_time(s.created_at)) $$;

CREATE FUNCTION vg_booth_json(b booths) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', b.id, 'site_id', b.site_id, 'label', b.label,
              'status', CASE WHEN b.revoked_at IS NOT NULL THEN 'revoked'
                             WHEN b.enrolled_at IS NOT NULL THEN 'enrolled'
                             ELSE 'pending' END,
              'enrollment_expires_at', vg_time(b.enrollment_expires_at),
              'enrolled_at', vg_time(b.enrolled_at), 'revoked_at', vg_time(b.revoked_at),
              'created_at', vg_time(b.created_at)) $$;

CREATE FUNCTION vg_service_json(s services) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object('id', s.id, 'code', s.code, 'name_fr', s.name_fr,
                                    'name_en', s.name_en, 'duration_minutes', s.duration_minutes,
                                    'walk_in_allowed', s.walk_in_allowed,
                                    'created_at', vg_time(s.created_at)) $$;

CREATE FUNCTION vg_agent_json(a agents) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', a.id, 'email', a.email, 'display_name', a.display_name, 'roles', a.roles,
              'active', a.active,
              'site_ids', coalesce((SELECT jsonb_agg(site_id ORDER BY site_id)
                                    FROM agent_sites WHERE agent_id = a.id), '[]'),
              'service_ids', coalesce((SELECT jsonb_agg(service_id ORDER BY service_id)
                                       FROM agent_services WHERE agent_id = a.id), '[]'),
              'languages', coalesce((SELECT jsonb_agg(language ORDER BY language)
                                     FROM agent_languages WHERE agent_id = a.id), '[]'),
              'created_at', vg_time(a.created_at)) $$;

CREATE FUNCTION vg_appointment_json(a appointments) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', a.id, 'site_id', a.site_id, 'service_id', a.service_id,
              'booth_id', a.booth_id, 'agent_id', a.agent_id,
              'starts_at', vg_time(a.starts_at), 'ends_at', vg_time(a.ends_at),
              'status', a.status, 'check_in_code', a.check_in_code,
              'citizen', jsonb_strip_nulls(jsonb_build_object(
                  'name', a.citizen_name, 'language', a.citizen_language,
                  'phone', a.citizen_phone, 'email', a.citizen_email)),
              'version', a.version, 'cancel_reason', a.cancel_reason,
              'cancelled_at', vg_time(a.cancelled_at), 'checked_in_at', vg_time(a.checked_in_at),
              'created_at', vg_time(a.created_at), 'updated_at', vg_time(a.updated_at)) $$;

CREATE FUNCTION vg_queue_entry_json(q queue_entries) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', q.id, 'site_id', q.site_id, 'booth_id', q.booth_id, 'kind', q.kind,
              'appointment_id', q.appointment_id, 'service_id', q.service_id,
              'language', q.language, 'state', q.state, 'enqueued_at', vg_time(q.enqueued_at),
              'due_at', vg_time(q.due_at), 'offered_to', q.offered_to,
              'offer_expires_at', vg_time(q.offer_expires_at)) $$;

CREATE FUNCTION vg_call_session_json(c call_sessions) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', c.id, 'site_id', c.site_id, 'booth_id', c.booth_id, 'agent_id', c.agent_id,
              'queue_entry_id', c.queue_entry_id, 'appointment_id', c.appointment_id,
              'started_at', vg_time(c.started_at), 'ended_at', vg_time(c.ended_at),
              'end_reason', c.end_reason, 'outcome', c.outcome, 'notes', c.notes) $$;
