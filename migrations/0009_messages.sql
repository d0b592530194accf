-- Messages to citizens (issue 16): an outbox written by the same transaction as the booking
-- change it reports, and emptied by the senders of every node (server/messaging/Sender).

-- Where the citizen goes, printed in every message (optional: a site may have none yet).
ALTER TABLE sites ADD COLUMN address text CHECK (length(address) BETWEEN 1 AND 300);

CREATE OR REPLACE FUNCTION vg_site_json(s sites) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_strip_nulls(jsonb_build_object(
                     'id', s.id, 'code', s.code, 'name_fr', s.name_fr, 'name_en', s.name_en,
                     'timezone', s.timezone, 'address', s.address))
                 || jsonb_build_object('created_at', vg_time(s.created_at)) $$;

-- pending: waits for next_attempt_at; sending: a sender claimed it until lease_until (a sender
-- that died leaves it to be claimed again after that); sent; failed: given up after the limit.
CREATE TYPE message_state AS ENUM ('pending', 'sending', 'sent', 'failed');

CREATE TABLE messages (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id  uuid NOT NULL REFERENCES appointments,
    kind            text NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'moved', 'cancelled')),
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 254),
    language        text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    -- What the message reports that the appointment row no longer says (the old start of a
    -- move, the reason of a cancellation).
    details         jsonb NOT NULL DEFAULT '{}',
    state           message_state NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text CHECK (length(last_error) <= 500),
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
-- What senders look for: due messages only, so the index stays as small as the backlog.
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX messages_appointment ON messages (appointment_id, created_at);
-- One reminder per offset, channel and start: a node that adds the due reminders (Outbox::
-- queue_reminders) at the same moment as another adds nothing twice; a moved visit has a new
-- start, so its reminders come again.
CREATE UNIQUE INDEX messages_reminder_once ON messages
    (appointment_id, channel, (details->>'offset_minutes'), (details->>'starts_at'))
    WHERE kind = 'reminder';

-- The outbox rows of one booking change, from the change itself: whatever path books, moves or
-- cancels an appointment (vg_book's single statement, a reschedule, a cancellation, later the
-- citizen's own page), its messages commit or roll back with it. Times are the change's own
-- updated_at, which comes from the desk's clock.
CREATE FUNCTION vg_queue_appointment_messages() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    message_kind text;
    message_details jsonb := '{}';
BEGIN
    IF TG_OP = 'INSERT' THEN
        message_kind := 'confirmation';
    ELSIF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        message_kind := 'cancelled';
        message_details := jsonb_build_object('reason', NEW.cancel_reason,
                                              'by', NEW.cancelled_by);
    ELSIF NEW.status = 'booked' AND NEW.starts_at <> OLD.starts_at THEN
        message_kind := 'moved';
        message_details := jsonb_build_object('old_starts_at', vg_time(OLD.starts_at));
    ELSE
        RETURN NULL;
    END IF;
    INSERT INTO messages (appointment_id, kind, channel, recipient, language, details,
                          next_attempt_at, created_at)
    SELECT NEW.id, message_kind, c.channel, c.recipient, NEW.citizen_language, message_details,
           NEW.updated_at, NEW.updated_at
      FROM (VALUES ('email', NEW.citizen_email), ('sms', NEW.citizen_phone)) AS c(channel, recipient)
     WHERE c.recipient IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER appointments_messages AFTER INSERT OR UPDATE OF status, starts_at ON appointments
    FOR EACH ROW EXECUTE FUNCTION vg_queue_appointment_messages();

CREATE FUNCTION vg_message_json(m messages) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$ SELECT jsonb_build_object(
              'id', m.id, 'appointment_id', m.appointment_id, 'kind', m.kind,
              'channel', m.channel, 'language', m.language, 'state', m.state,
              'attempts', m.attempts, 'next_attempt_at', vg_time(m.next_attempt_at),
              'last_error', m.last_error, 'created_at', vg_time(m.created_at),
              'sent_at', vg_time(m.sent_at)) $$;

-- Signs the citizens' personal links (server/messaging/VisitLink): every node must agree on it.
INSERT INTO server_settings (name, value)
VALUES ('visit_link_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
