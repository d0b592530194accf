-- Opening hours, closures and agent absences (issue 16 item 3, CONTRACT.md "Added 2026-12-07 /
-- Citizens"). Weekly hours are in the site's wall-clock time, as availability rules are, so a
-- daylight-saving change moves no opening. A site without any weekly hours is open at every hour
-- (the sites made before this migration keep working as they did); closures apply to every site.

CREATE TABLE site_hours (
    site_id    uuid NOT NULL REFERENCES sites ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),  -- ISO: 1 = Monday
    open_time  time NOT NULL,
    close_time time NOT NULL,
    CHECK (open_time < close_time),
    CONSTRAINT site_hours_no_overlap EXCLUDE USING gist (
        site_id WITH =, weekday WITH =, vg_time_range(open_time, close_time) WITH &&)
);

-- A one-off closure (a snowstorm) or a holiday: the site takes no booking, walk-in or check-in
-- from starts_at to ends_at.
CREATE TABLE site_closures (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    site_id    uuid NOT NULL REFERENCES sites,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason_fr  text NOT NULL CHECK (length(reason_fr) BETWEEN 1 AND 200),
    reason_en  text NOT NULL CHECK (length(reason_en) BETWEEN 1 AND 200),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX site_closures_site ON site_closures USING gist (site_id, tstzrange(starts_at, ends_at));

-- An agent away (leave, training): no slot of theirs is offered while away.
CREATE TABLE agent_absences (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id   uuid NOT NULL REFERENCES agents,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason     text CHECK (length(reason) <= 200),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX agent_absences_agent ON agent_absences USING gist (agent_id, tstzrange(starts_at, ends_at));

-- A time of day as the API writes it, "HH:MM", with the end of the day as 24:00 (to_char would
-- write 00:00, the start of the day).
CREATE FUNCTION vg_clock(t time) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN t = '24:00' THEN '24:00' ELSE to_char(t, 'HH24:MI') END $$;

CREATE FUNCTION vg_closure_json(c site_closures) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object('id', c.id, 'site_id', c.site_id,
                     'starts_at', vg_time(c.starts_at), 'ends_at', vg_time(c.ends_at),
                     'reason_fr', c.reason_fr, 'reason_en', c.reason_en,
                     'created_at', vg_time(c.created_at)) $$;

CREATE FUNCTION vg_absence_json(a agent_absences) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_strip_nulls(jsonb_build_object('id', a.id, 'agent_id', a.agent_id,
                     'starts_at', vg_time(a.starts_at), 'ends_at', vg_time(a.ends_at),
                     'reason', a.reason, 'created_at', vg_time(a.created_at))) $$;

-- The slot grid of 0003 keeps its rule under a new name; vg_slot_starts is now that grid less what
-- hours, closures and absences take out: a slot lies inside one of the site's hours of its
-- weekday (in wall-clock time, like the grid; the repeated hour of a fall-back change reads the
-- same wall-clock time twice), overlaps no closure of the site and no absence of its agent.
-- vg_place (0003) finds vg_slot_starts by name when it runs, so it checks bookings against this:
-- a booking inside any of them is "not a slot".
ALTER FUNCTION vg_slot_starts(uuid, uuid, date) RENAME TO vg_grid_slot_starts;

CREATE FUNCTION vg_slot_starts(p_site uuid, p_service uuid, p_date date)
    RETURNS TABLE (agent_id uuid, starts_at timestamptz, ends_at timestamptz)
    LANGUAGE sql STABLE
    AS $$
    SELECT g.agent_id, g.starts_at, g.ends_at
      FROM vg_grid_slot_starts(p_site, p_service, p_date) g
      JOIN sites site ON site.id = p_site
     WHERE (NOT EXISTS (SELECT 1 FROM site_hours h WHERE h.site_id = p_site)
            OR EXISTS (SELECT 1 FROM site_hours h
                        WHERE h.site_id = p_site AND h.weekday = extract(isodow FROM p_date)
                          AND p_date + h.open_time <= g.starts_at AT TIME ZONE site.timezone
                          AND (g.starts_at AT TIME ZONE site.timezone) + (g.ends_at - g.starts_at)
                              <= p_date + h.close_time))
       AND NOT EXISTS (SELECT 1 FROM site_closures c
                        WHERE c.site_id = p_site
                          AND tstzrange(c.starts_at, c.ends_at) && tstzrange(g.starts_at, g.ends_at))
       AND NOT EXISTS (SELECT 1 FROM agent_absences ab
                        WHERE ab.agent_id = g.agent_id
                          AND tstzrange(ab.starts_at, ab.ends_at) && tstzrange(g.starts_at, g.ends_at))
$$;

-- The end of the closures that cover p_at, chained (one closure may end inside the next), or
-- p_at itself when none covers it.
CREATE FUNCTION vg_after_closures(p_site uuid, p_at timestamptz) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    at timestamptz := p_at;
    closure_end timestamptz;
BEGIN
    -- Bounded: closures are finite rows, each moves "at" strictly forward.
    FOR step IN 1..1000 LOOP
        SELECT max(c.ends_at) INTO closure_end FROM site_closures c
         WHERE c.site_id = p_site AND c.starts_at <= at AND c.ends_at > at;
        EXIT WHEN closure_end IS NULL;
        at := closure_end;
    END LOOP;
    RETURN at;
END
$$;

-- When the site is (or next will be) open, from p_at: opens_at is p_at itself when it is open
-- now, and closes_at the end of that opening (its hours' close or the next closure's start).
-- Both are NULL when the site does not open within 400 days; closes_at is NULL for a site
-- without weekly hours and no closure ahead. reason_fr/reason_en: the closure covering p_at.
CREATE FUNCTION vg_site_opening(p_site uuid, p_at timestamptz,
                                OUT opens_at timestamptz, OUT closes_at timestamptz,
                                OUT reason_fr text, OUT reason_en text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    zone text;
    first_day date;
    day date;
    hours record;
    interval_open timestamptz;
    interval_close timestamptz;
    candidate timestamptz;
BEGIN
    SELECT s.timezone INTO zone FROM sites s WHERE s.id = p_site;
    SELECT c.reason_fr, c.reason_en INTO reason_fr, reason_en FROM site_closures c
     WHERE c.site_id = p_site AND c.starts_at <= p_at AND c.ends_at > p_at
     ORDER BY c.ends_at DESC LIMIT 1;
    IF NOT EXISTS (SELECT 1 FROM site_hours h WHERE h.site_id = p_site) THEN
        opens_at := vg_after_closures(p_site, p_at);
        SELECT min(c.starts_at) INTO closes_at FROM site_closures c
         WHERE c.site_id = p_site AND c.starts_at > opens_at;
        RETURN;
    END IF;
    first_day := (p_at AT TIME ZONE zone)::date;
    FOR offset_days IN 0..400 LOOP
        day := first_day + offset_days;
        FOR hours IN SELECT h.open_time, h.close_time FROM site_hours h
                      WHERE h.site_id = p_site AND h.weekday = extract(isodow FROM day)
                      ORDER BY h.open_time LOOP
            interval_open := (day + hours.open_time) AT TIME ZONE zone;
            interval_close := (day + hours.close_time) AT TIME ZONE zone;
            CONTINUE WHEN interval_close <= p_at;
            candidate := vg_after_closures(p_site, greatest(interval_open, p_at));
            IF candidate < interval_close THEN
                opens_at := candidate;
                SELECT least(interval_close, min(c.starts_at)) INTO closes_at
                  FROM site_closures c
                 WHERE c.site_id = p_site AND c.starts_at > candidate
                   AND c.starts_at < interval_close;
                RETURN;
            END IF;
        END LOOP;
    END LOOP;
END
$$;
