-- Booking in one statement: vg_book replaces vg_book_appointment (0003) and also writes the
-- booking's audit event and domain event, after releasing the site's turn; a booking without an
-- Idempotency-Key is then a single statement in its own transaction (no BEGIN and COMMIT round
-- trips).
DROP FUNCTION vg_book_appointment(uuid, uuid, timestamptz, text, text, text, text, text, text,
                                  timestamptz);

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
