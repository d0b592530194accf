-- How each participant's media went in a call session: one row each time a participant's media
-- ends (a rejoin adds another), written by the control plane from the media worker's final
-- statistics. Uplink: what the participant sent us; downlink: what we forwarded to it.

CREATE TABLE call_session_quality (
    id                    bigserial PRIMARY KEY,
    call_session_id       uuid NOT NULL REFERENCES call_sessions ON DELETE CASCADE,
    role                  text NOT NULL CHECK (length(role) BETWEEN 1 AND 32),
    recorded_at           timestamptz NOT NULL DEFAULT now(),
    media_seconds         double precision NOT NULL CHECK (media_seconds >= 0),
    packets_received      bigint NOT NULL CHECK (packets_received >= 0),
    bytes_received        bigint NOT NULL CHECK (bytes_received >= 0),
    packets_lost          bigint NOT NULL CHECK (packets_lost >= 0),
    packets_recovered     bigint NOT NULL CHECK (packets_recovered >= 0),
    nacks_sent            bigint NOT NULL CHECK (nacks_sent >= 0),
    jitter_ms             double precision NOT NULL CHECK (jitter_ms >= 0),
    packets_sent          bigint NOT NULL CHECK (packets_sent >= 0),
    bytes_sent            bigint NOT NULL CHECK (bytes_sent >= 0),
    nacks_received        bigint NOT NULL CHECK (nacks_received >= 0),
    retransmissions_sent  bigint NOT NULL CHECK (retransmissions_sent >= 0),
    packets_lost_downlink bigint NOT NULL,
    rtt_ms                double precision CHECK (rtt_ms >= 0)  -- NULL: never measured
);
CREATE INDEX call_session_quality_session ON call_session_quality (call_session_id);
