-- pgbench: the booking of POST /api/v1/appointments without an Idempotency-Key (server/http/
-- api/AppointmentRoutes.cpp book(), desk/Scheduling.cpp, desk/Credentials.cpp), statement by
-- statement, one round trip each, in extended protocol (-M extended: unnamed statements with
-- parameters, as PQexecParams sends them): the token lookup, the site and service check, and
-- the booking, one statement in its own transaction: vg_book (migrations/0003) takes the site's
-- turn, places, inserts the appointment and its history row, releases the turn, writes the audit
-- and domain events. Differences: NULL literals where the server binds NULL parameters, now()
-- where it binds its clock, a check-in code from md5 instead of from its alphabet, no JSON
-- parsing, no retry (an attempt that meets a booking not yet committed fails with 23P01 and
-- ends that pgbench client, where the server tries again; not seen in these runs).
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
SELECT EXISTS (SELECT 1 FROM sites WHERE id = :site), EXISTS (SELECT 1 FROM services WHERE id = :service);
SELECT outcome, appointment_id::text, body, version, placed_agent::text FROM vg_book(:site, :service, to_timestamp(:t), 'Bench ' || :n, 'fr', NULL, NULL, upper(substr(md5(random()::text), 1, 10)), 'api_key', :keyid, '127.0.0.1', now());
