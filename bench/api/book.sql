-- pgbench: the booking transaction of POST /api/v1/appointments (server/http/api/
-- AppointmentRoutes.cpp book(), Scheduling.cpp book(), Endpoint.cpp audit()/event(), Auth.cpp
-- resolve()), statement by statement, one round trip each, in extended protocol (-M extended:
-- unnamed statements with parameters, as PQexecParams sends them). vg_book_appointment
-- (migrations/0003_fast_booking.sql) takes the site's booking turn, places, inserts the
-- appointment and its history row. Differences: NULL literals where the server binds NULL
-- parameters, now() where it binds its clock, a check-in code from md5 instead of from its
-- alphabet, no JSON parsing, no retry (an attempt that meets a booking not yet committed fails
-- with 23P01 and is counted as failed, where the server tries again).
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
SELECT outcome, appointment_id::text AS id, body, version, placed_agent::text AS agent FROM vg_book_appointment(:site, :service, to_timestamp(:t), 'Bench ' || :n, 'fr', NULL, NULL, upper(substr(md5(random()::text), 1, 10)), 'api_key:' || :keyid, now()) \gset
INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, source_address, details) VALUES (now(), 'api_key', :keyid, 'appointment.book', 'appointment', :id, '127.0.0.1', ('{"starts_at":"' || vg_time(to_timestamp(:t)) || '","site_id":"' || :site || '"}')::jsonb);
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('appointment.changed', :site, :agent, NULL, :id, now());
COMMIT;
