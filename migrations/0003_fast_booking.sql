-- Booking in one round trip, and the site's booking turn no longer held across the commit.
--
-- vg_place chooses a booth and an agent for one slot: the agents whose weekly availability has
-- this slot start (in the site's local time), then, in random order (a preferred one first),
-- the first who speaks the language and has no active appointment overlapping it, and likewise
-- the first free booth of the site. It stops at the first free one instead of checking them all,
-- and its statements are planned once per connection (PL/pgSQL caches them).
CREATE FUNCTION vg_place(p_site uuid, p_service uuid, p_starts_at timestamptz, p_language text,
                         p_ignore uuid, p_prefer_agent uuid, p_prefer_booth uuid,
                         OUT is_slot boolean, OUT placed_agent uuid, OUT placed_booth uuid,
                         OUT slot_ends_at timestamptz)
    LANGUAGE plpgsql
    AS $$
DECLARE
    local_start timestamp;
    len interval;
    slot tstzrange;
    candidates uuid[];
    candidate uuid;
BEGIN
    SELECT p_starts_at AT TIME ZONE s.timezone INTO local_start FROM sites s WHERE s.id = p_site;
    SELECT make_interval(mins => s.duration_minutes) INTO len FROM services s WHERE s.id = p_service;
    -- The slots of a window are laid from its start, every service length.
    SELECT array_agg(r.agent_id ORDER BY r.agent_id IS NOT DISTINCT FROM p_prefer_agent DESC, random())
      INTO candidates
      FROM availability_rules r
      JOIN agents a ON a.id = r.agent_id AND a.active AND 'agent' = ANY (a.roles)
      JOIN agent_services s ON s.agent_id = r.agent_id AND s.service_id = p_service
     WHERE r.site_id = p_site AND r.weekday = extract(isodow FROM local_start)::smallint
       AND local_start::time >= r.start_time AND local_start + len <= local_start::date + r.end_time
       AND extract(epoch FROM local_start::time - r.start_time)::bigint
           % extract(epoch FROM len)::bigint = 0;
    is_slot := candidates IS NOT NULL;
    IF NOT is_slot THEN
        RETURN;
    END IF;
    slot_ends_at := p_starts_at + len;
    slot := tstzrange(p_starts_at, slot_ends_at);
    FOREACH candidate IN ARRAY candidates LOOP
        IF EXISTS (SELECT 1 FROM agent_languages l
                    WHERE l.agent_id = candidate AND l.language = p_language)
           AND NOT EXISTS (SELECT 1 FROM appointments ap
                            WHERE ap.agent_id = candidate
                              AND ap.status IN ('booked', 'checked_in', 'in_call')
                              AND ap.during && slot AND ap.id IS DISTINCT FROM p_ignore) THEN
            placed_agent := candidate;
            EXIT;
        END IF;
    END LOOP;
    IF placed_agent IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(b.id ORDER BY b.id IS NOT DISTINCT FROM p_prefer_booth DESC, random())
      INTO candidates
      FROM booths b WHERE b.site_id = p_site AND b.revoked_at IS NULL;
    FOREACH candidate IN ARRAY coalesce(candidates, '{}') LOOP
        IF NOT EXISTS (SELECT 1 FROM appointments ap
                        WHERE ap.booth_id = candidate
                          AND ap.status IN ('booked', 'checked_in', 'in_call')
                          AND ap.during && slot AND ap.id IS DISTINCT FROM p_ignore) THEN
            placed_booth := candidate;
            EXIT;
        END IF;
    END LOOP;
END
$$;

-- Books one appointment: chooses with vg_place and inserts the appointment and its history row,
-- in the caller's transaction. outcome: 'not_a_slot', 'full' or 'placed'.
--
-- Bookings of one site take turns on an advisory lock, so each one chooses after seeing the
-- previous one's row: two transactions inserting conflicting rows at the same moment would each
-- wait for the other inside the exclusion constraint's check (a deadlock PostgreSQL breaks only
-- after deadlock_timeout). The lock is a session lock released here, before the caller commits,
-- not a transaction lock held until the commit has waited for the disk: the site's next booking
-- then runs while this one commits (commits of a site group together). That next booking may not
-- see this row yet and choose the same booth or agent; its insert then waits for this commit and
-- fails with 23P01, and the caller tries again (AppointmentRoutes.cpp with_retries), seeing it.
-- Nothing waits on another booking while holding the lock except on one that already released
-- it, so no deadlock. Every error releases the lock (the exception block), and a session that
-- ends releases it too.
CREATE FUNCTION vg_book_appointment(p_site uuid, p_service uuid, p_starts_at timestamptz,
                                    p_name text, p_language text, p_phone text, p_email text,
                                    p_check_in_code text, p_actor text, p_now timestamptz,
                                    OUT outcome text, OUT appointment_id uuid, OUT body text,
                                    OUT version integer, OUT placed_agent uuid)
    LANGUAGE plpgsql
    AS $$
DECLARE
    lock_key bigint := hashtextextended('booking:' || p_site::text, 0);
    place record;
    booked appointments;
BEGIN
    BEGIN
        PERFORM pg_advisory_lock(lock_key);
        SELECT * INTO place FROM vg_place(p_site, p_service, p_starts_at, p_language,
                                          NULL, NULL, NULL);
        IF NOT place.is_slot THEN
            outcome := 'not_a_slot';
        ELSIF place.placed_agent IS NULL OR place.placed_booth IS NULL THEN
            outcome := 'full';
        ELSE
            INSERT INTO appointments (site_id, service_id, booth_id, agent_id, starts_at, ends_at,
                                      citizen_name, citizen_language, citizen_phone,
                                      citizen_email, check_in_code, created_by, created_at,
                                      updated_at)
            VALUES (p_site, p_service, place.placed_booth, place.placed_agent, p_starts_at,
                    place.slot_ends_at, p_name, p_language, p_phone, p_email, p_check_in_code,
                    p_actor, p_now, p_now)
            RETURNING * INTO booked;
            INSERT INTO appointment_history (appointment_id, action, actor, at, new_starts_at,
                                             new_booth_id, new_agent_id)
            VALUES (booked.id, 'booked', p_actor, p_now, p_starts_at, booked.booth_id,
                    booked.agent_id);
            outcome := 'placed';
            appointment_id := booked.id;
            body := vg_appointment_json(booked)::text;
            version := booked.version;
            placed_agent := booked.agent_id;
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(lock_key);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(lock_key);
END
$$;
