-- Booking: the slot grid, the choice of a booth and an agent for one slot, and the booking itself
-- in one statement. This file folds what were two migrations (0003_fast_booking and
-- 0004_booking_statement) into one: nothing was deployed yet, so no database holds either. A
-- development database made before the fold must be made again (the runner refuses a missing
-- applied file).

-- The one slot-grid rule, for the slots a scheduler is shown (desk/Scheduling.cpp) and for the
-- check that a booking's start is a slot (vg_place): each agent's weekly availability windows of
-- the date's weekday, laid in the site's local wall-clock time from the window's start, every
-- service length, each slot ending inside its window; each point is then turned into an instant in
-- the site's zone. A local time that a spring-forward change skips does not survive the round trip
-- back to local time, so it gives no slot; one that a fall-back change repeats names two instants
-- (the later one, which AT TIME ZONE gives, and the one an hour before), so the repeated hour has
-- its slots twice, as it is worked. Only active agents who serve the service count.
CREATE FUNCTION vg_slot_starts(p_site uuid, p_service uuid, p_date date)
    RETURNS TABLE (agent_id uuid, starts_at timestamptz, ends_at timestamptz)
    LANGUAGE sql STABLE
    AS $$
    SELECT r.agent_id, i.starts_at, i.starts_at + svc.len
      FROM sites site
     CROSS JOIN (SELECT make_interval(mins => duration_minutes) AS len FROM services
                  WHERE id = p_service) svc
      JOIN availability_rules r ON r.site_id = site.id
      JOIN agents a ON a.id = r.agent_id AND a.active AND 'agent' = ANY (a.roles)
      JOIN agent_services sv ON sv.agent_id = r.agent_id AND sv.service_id = p_service
     CROSS JOIN LATERAL generate_series(p_date + r.start_time, p_date + r.end_time - svc.len,
                                        svc.len) AS g(local_start)
     CROSS JOIN LATERAL unnest(ARRAY[g.local_start AT TIME ZONE site.timezone,
                                     (g.local_start AT TIME ZONE site.timezone) - interval '1 hour'])
                        AS i(starts_at)
     WHERE site.id = p_site AND r.weekday = extract(isodow FROM p_date)
       AND i.starts_at AT TIME ZONE site.timezone = g.local_start
$$;

-- vg_place chooses a booth and an agent for one slot: the agents who have this slot start
-- (vg_slot_starts), then, in random order (a preferred one first), the first who speaks the
-- language and has no active appointment overlapping it, and likewise the first free booth of the
-- site. It stops at the first free one instead of checking them all, and its statements are
-- planned once per connection (PL/pgSQL caches them).
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
    SELECT array_agg(g.agent_id ORDER BY g.agent_id IS NOT DISTINCT FROM p_prefer_agent DESC, random())
      INTO candidates
      FROM vg_slot_starts(p_site, p_service, local_start::date) g
     WHERE g.starts_at = p_starts_at;
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
-- then (after the site's turn) its audit event and its domain event, so that a booking is one
-- statement: one round trip, its own transaction when the caller opened none. outcome:
-- 'not_a_slot', 'full' (nothing written) or 'placed'.
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
CREATE FUNCTION vg_book(p_site uuid, p_service uuid, p_starts_at timestamptz, p_name text,
                        p_language text, p_phone text, p_email text, p_check_in_code text,
                        p_actor_kind text, p_actor_id text, p_source_address text,
                        p_now timestamptz,
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
                    p_actor_kind || ':' || p_actor_id, p_now, p_now)
            RETURNING * INTO booked;
            INSERT INTO appointment_history (appointment_id, action, actor, at, new_starts_at,
                                             new_booth_id, new_agent_id)
            VALUES (booked.id, 'booked', p_actor_kind || ':' || p_actor_id, p_now, p_starts_at, booked.booth_id,
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
    IF outcome = 'placed' THEN
        INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id,
                                  source_address, details)
        VALUES (p_now, p_actor_kind, p_actor_id, 'appointment.book', 'appointment',
                appointment_id::text, p_source_address,
                jsonb_build_object('starts_at', vg_time(p_starts_at), 'site_id', p_site));
        INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at)
        VALUES ('appointment.changed', p_site, placed_agent, NULL, appointment_id, p_now);
    END IF;
END
$$;
