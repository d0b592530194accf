-- pgbench: the booking transaction of POST /api/v1/appointments (server/http/api/
-- AppointmentRoutes.cpp book(), Scheduling.cpp place(), Endpoint.cpp audit()/event(), Auth.cpp
-- resolve()), statement by statement, one round trip each, in extended protocol (-M extended:
-- unnamed statements with parameters, as PQexecParams sends them). Differences: NULL literals
-- where the server binds NULL parameters, now() where it binds its clock, a 10-character check-in
-- code from md5 instead of 6 characters from its alphabet, no JSON parsing.
--   pgbench -D site=UUID -D service=UUID -D keyhash=HASH -D days=N -D base=EPOCH
\set n random(0, 47 * :days - 1)
\set t :base + (:n / 47) * 86400 + (:n % 47) * 1800
SELECT 'api_key' AS kind, k.id::text AS id, k.role::text AS roles, NULL AS sites,
                  NULL AS session_id
             FROM api_keys k WHERE k.key_hash = :keyhash AND k.revoked_at IS NULL
           UNION ALL
           SELECT 'agent', a.id::text, array_to_string(a.roles, ','),
                  (SELECT string_agg(site_id::text, ',') FROM agent_sites WHERE agent_id = a.id),
                  s.id::text
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
            WHERE s.token_hash = :keyhash AND s.revoked_at IS NULL AND s.expires_at > now()::timestamptz
              AND a.active
           UNION ALL
           SELECT 'booth', b.id::text, 'booth', b.site_id::text, NULL
             FROM booths b WHERE b.device_token_hash = :keyhash AND b.revoked_at IS NULL;
SELECT 1 FROM sites WHERE id = :site;
SELECT 1 FROM services WHERE id = :service;
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('booking:' || :site, 0));
WITH site AS (SELECT timezone FROM sites WHERE id = :site), svc AS (SELECT make_interval(mins => duration_minutes) AS len FROM services          WHERE id = :service), loc AS (SELECT to_timestamp(:t)::timestamptz AT TIME ZONE site.timezone AS t FROM site), grid AS (SELECT r.agent_id FROM availability_rules r   JOIN agents a ON a.id = r.agent_id AND a.active AND 'agent' = ANY (a.roles)   JOIN agent_services sv ON sv.agent_id = r.agent_id AND sv.service_id = :service   CROSS JOIN svc CROSS JOIN loc   WHERE r.site_id = :site AND r.weekday = extract(isodow FROM loc.t)     AND loc.t::time >= r.start_time AND loc.t + svc.len <= loc.t::date + r.end_time     AND extract(epoch FROM loc.t::time - r.start_time)::bigint         % extract(epoch FROM svc.len)::bigint = 0)SELECT (SELECT count(*) FROM grid) AS grid, (SELECT g.agent_id::text FROM grid g, svc   WHERE EXISTS (SELECT 1 FROM agent_languages l WHERE l.agent_id = g.agent_id                    AND l.language = 'fr')     AND NOT EXISTS (SELECT 1 FROM appointments ap WHERE ap.agent_id = g.agent_id        AND ap.status IN ('booked', 'checked_in', 'in_call')        AND ap.during && tstzrange(to_timestamp(:t)::timestamptz, to_timestamp(:t)::timestamptz + svc.len)        AND ap.id IS DISTINCT FROM NULL::uuid)   ORDER BY coalesce(g.agent_id = NULL::uuid, false) DESC, random() LIMIT 1) AS agent, (SELECT b.id::text FROM booths b, svc WHERE b.site_id = :site AND b.revoked_at IS NULL     AND NOT EXISTS (SELECT 1 FROM appointments ap WHERE ap.booth_id = b.id        AND ap.status IN ('booked', 'checked_in', 'in_call')        AND ap.during && tstzrange(to_timestamp(:t)::timestamptz, to_timestamp(:t)::timestamptz + svc.len)        AND ap.id IS DISTINCT FROM NULL::uuid)   ORDER BY coalesce(b.id = NULL::uuid, false) DESC, random() LIMIT 1) AS booth, (SELECT vg_time(to_timestamp(:t)::timestamptz + len) FROM svc) AS ends \gset
INSERT INTO appointments (site_id, service_id, booth_id, agent_id, starts_at, ends_at, citizen_name, citizen_language, citizen_phone, citizen_email, check_in_code, created_by, created_at, updated_at) VALUES (:site, :service, :booth, :agent, to_timestamp(:t), :ends, 'Bench ' || :n, 'fr', NULL, NULL, upper(substr(md5(random()::text), 1, 10)), 'api_key:' || :keyid, now(), now()) RETURNING id::text AS id, vg_appointment_json(appointments)::text AS body, version \gset
INSERT INTO appointment_history (appointment_id, action, actor, at, new_starts_at, new_booth_id, new_agent_id) VALUES (:id, 'booked', 'api_key:' || :keyid, now(), to_timestamp(:t), :booth, :agent);
INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, source_address, details) VALUES (now(), 'api_key', :keyid, 'appointment.book', 'appointment', :id, '127.0.0.1', ('{"site_id":"' || :site || '"}')::jsonb);
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('appointment.changed', :site, :agent, NULL, :id, now());
COMMIT;
