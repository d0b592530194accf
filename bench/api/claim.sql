-- pgbench: the claim-next cycle of claim.lua, statement by statement as the server sends them
-- (-M extended), one transaction of the script per request: phase 0 POST /queue/claim-next
-- (QueueRoutes.cpp claim_next(), QueueOps.cpp expire_offers()), phase 1 POST /booth/leave
-- (BoothRoutes.cpp leave(), QueueOps.cpp abandon_at_booth()), phase 2 POST /booth/walk-in
-- (BoothRoutes.cpp walk_in(), QueueOps.cpp place()); each begins with the token lookup of
-- Auth.cpp resolve(). Script runs 1, 4, 7, ... of a client are its claims. Differences from the
-- server: now() where it binds its clock; the harness's own lookups, outside the transactions, of
-- the client's agent token (once) and of the claimed booth's token (bench_agents, booths), where
-- the load client keeps them in memory; the offered entry's booth_id read as a column of the
-- offer's JSON query instead of parsed from the JSON.
--   pgbench -D site=UUID -D service=UUID -D phase=0 -D loaded=0
\if :loaded = 0
SELECT token_hash AS agenthash FROM bench_agents WHERE n = :client_id \gset
\set loaded 1
\endif
\if :phase = 0
SELECT 'api_key' AS kind, k.id::text AS id, k.role::text AS roles, NULL AS sites,
                  NULL AS session_id
             FROM api_keys k WHERE k.key_hash = :agenthash AND k.revoked_at IS NULL
           UNION ALL
           SELECT 'agent', a.id::text, array_to_string(a.roles, ','),
                  (SELECT string_agg(site_id::text, ',') FROM agent_sites WHERE agent_id = a.id),
                  s.id::text
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
            WHERE s.token_hash = :agenthash AND s.revoked_at IS NULL AND s.expires_at > now()::timestamptz
              AND a.active
           UNION ALL
           SELECT 'booth', b.id::text, 'booth', b.site_id::text, NULL
             FROM booths b WHERE b.device_token_hash = :agenthash AND b.revoked_at IS NULL \gset
BEGIN;
WITH old AS (SELECT id, offered_to FROM queue_entries WHERE state = 'offered'               AND offer_expires_at <= now()::timestamptz FOR UPDATE SKIP LOCKED), back AS (UPDATE queue_entries q SET state = 'waiting', offered_to = NULL,           offered_at = NULL, offer_expires_at = NULL FROM old WHERE q.id = old.id           RETURNING q.site_id), freed AS (UPDATE agent_presence p SET state = 'available', since = now() FROM old            WHERE p.agent_id = old.offered_to AND p.state = 'offered'            RETURNING p.agent_id)SELECT 'site', site_id::text FROM back UNION ALL SELECT 'agent', agent_id::text FROM freed;
SELECT state::text FROM agent_presence WHERE agent_id = :id FOR UPDATE;
SELECT q.id::text AS entry, q.site_id::text AS entrysite FROM queue_entries q WHERE q.state = 'waiting' AND q.site_id IN (SELECT site_id FROM agent_sites WHERE agent_id = :id) AND q.service_id IN (SELECT service_id FROM agent_services WHERE agent_id = :id) AND q.language IN (SELECT language FROM agent_languages WHERE agent_id = :id) ORDER BY q.priority DESC, (q.due_at IS NOT NULL AND q.due_at <= now()::timestamptz) DESC, q.enqueued_at, q.id LIMIT 1 FOR UPDATE SKIP LOCKED \gset
UPDATE queue_entries SET state = 'offered', offered_to = :id, offered_at = now(), offer_expires_at = now() + interval '20 seconds', offer_count = offer_count + 1 WHERE id = :entry;
UPDATE agent_presence SET state = 'offered', since = now() WHERE agent_id = :id;
INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, source_address, details) VALUES (now(), 'agent', :id, 'queue.offer', 'queue_entry', :entry, '127.0.0.1', ('{"agent_id":"' || :id || '"}')::jsonb);
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('offer', :entrysite, :id, NULL, :entry, now());
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('queue.changed', :entrysite, NULL, NULL, :entry, now());
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('presence.changed', NULL, :id, NULL, :id, now());
SELECT vg_queue_entry_json(q) || CASE WHEN a.id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('citizen', jsonb_build_object('name', a.citizen_name, 'language', a.citizen_language), 'starts_at', vg_time(a.starts_at)) END AS offer, q.booth_id::text AS booth FROM queue_entries q LEFT JOIN appointments a ON a.id = q.appointment_id WHERE q.id = :entry \gset
COMMIT;
\elif :phase = 1
SELECT device_token_hash AS boothhash FROM booths WHERE id = :booth \gset
SELECT 'api_key' AS kind, k.id::text AS id, k.role::text AS roles, NULL AS sites,
                  NULL AS session_id
             FROM api_keys k WHERE k.key_hash = :boothhash AND k.revoked_at IS NULL
           UNION ALL
           SELECT 'agent', a.id::text, array_to_string(a.roles, ','),
                  (SELECT string_agg(site_id::text, ',') FROM agent_sites WHERE agent_id = a.id),
                  s.id::text
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
            WHERE s.token_hash = :boothhash AND s.revoked_at IS NULL AND s.expires_at > now()::timestamptz
              AND a.active
           UNION ALL
           SELECT 'booth', b.id::text, 'booth', b.site_id::text, NULL
             FROM booths b WHERE b.device_token_hash = :boothhash AND b.revoked_at IS NULL \gset
BEGIN;
SELECT id::text AS entry, coalesce(appointment_id::text, '') AS appointment FROM queue_entries WHERE booth_id = :id AND state IN ('waiting', 'offered') FOR UPDATE \gset
WITH old AS (SELECT id, offered_to FROM queue_entries              WHERE booth_id = :id AND state IN ('waiting', 'offered') FOR UPDATE), gone AS (UPDATE queue_entries q SET state = 'abandoned', abandoned_at = now(),          offered_to = NULL, offered_at = NULL, offer_expires_at = NULL          FROM old WHERE q.id = old.id RETURNING q.site_id), freed AS (UPDATE agent_presence p SET state = 'available', since = now() FROM old           WHERE p.agent_id = old.offered_to AND p.state = 'offered'           RETURNING p.agent_id)SELECT (SELECT site_id::text FROM gone LIMIT 1) AS gonesite,        (SELECT agent_id::text FROM freed LIMIT 1) AS freed \gset
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('queue.changed', :gonesite, NULL, :id, NULL, now());
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('presence.changed', NULL, :freed, NULL, :freed, now());
INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, source_address, details) VALUES (now(), 'booth', :id, 'queue.abandon', 'queue_entry', :entry, '127.0.0.1', '{}'::jsonb);
COMMIT;
\else
SELECT 'api_key' AS kind, k.id::text AS id, k.role::text AS roles, NULL AS sites,
                  NULL AS session_id
             FROM api_keys k WHERE k.key_hash = :boothhash AND k.revoked_at IS NULL
           UNION ALL
           SELECT 'agent', a.id::text, array_to_string(a.roles, ','),
                  (SELECT string_agg(site_id::text, ',') FROM agent_sites WHERE agent_id = a.id),
                  s.id::text
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
            WHERE s.token_hash = :boothhash AND s.revoked_at IS NULL AND s.expires_at > now()::timestamptz
              AND a.active
           UNION ALL
           SELECT 'booth', b.id::text, 'booth', b.site_id::text, NULL
             FROM booths b WHERE b.device_token_hash = :boothhash AND b.revoked_at IS NULL \gset
SELECT walk_in_allowed FROM services WHERE id = :service;
BEGIN;
SELECT 1 FROM queue_entries WHERE booth_id = :id AND state IN ('waiting', 'offered', 'accepted');
INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language, enqueued_at) VALUES (:site, :id, 'walk_in', :service, 'fr', now()) RETURNING id::text AS entry \gset
INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, source_address, details) VALUES (now(), 'booth', :id, 'queue.walk_in', 'queue_entry', :entry, '127.0.0.1', '{}'::jsonb);
INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) VALUES ('queue.changed', :site, NULL, :id, :entry, now());
SELECT r.position, r.site_id::text, r.service_id::text FROM (  SELECT q.id, q.site_id, q.service_id, row_number() OVER (ORDER BY q.priority DESC, (q.due_at IS NOT NULL AND q.due_at <= now()::timestamptz) DESC, q.enqueued_at, q.id) AS position FROM queue_entries q WHERE q.state IN ('waiting', 'offered')   AND q.site_id = (SELECT site_id FROM queue_entries WHERE id = :entry)) r WHERE r.id = :entry;
SELECT (SELECT count(*) FROM agent_presence p JOIN agent_sites s USING (agent_id)          WHERE s.site_id = :site AND p.state = 'available'),       (SELECT count(*) FROM agent_presence p JOIN agent_sites s USING (agent_id)          WHERE s.site_id = :site AND p.state IN ('offered', 'in_call', 'wrap_up')),       coalesce((SELECT extract(epoch FROM avg(ended_at - started_at))::bigint                    FROM call_sessions WHERE site_id = :site AND ended_at IS NOT NULL                     AND ended_at > now()::timestamptz - interval '7 days'),                (SELECT duration_minutes * 60 FROM services WHERE id = :service));
COMMIT;
\endif
\set phase (:phase + 1) % 3
