-- Several server nodes on one database (CONTRACT.md "Several nodes on one database"): each node
-- registers itself and heartbeats; a call session is hosted by one node, recorded on the session.
--
-- A node's liveness is a lease: every heartbeat moves lease_until to the database's now() plus
-- the node's node_lost_seconds. One clock (the database's) decides, so nodes whose clocks
-- disagree still agree on who is lost.

CREATE TABLE nodes (
    name          text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name !~ '[|[:space:]]'),
    public_url    text NOT NULL CHECK (length(public_url) BETWEEN 1 AND 512),
    signaling_url text NOT NULL CHECK (length(signaling_url) BETWEEN 1 AND 520),
    public_addr   text NOT NULL CHECK (length(public_addr) <= 64),
    version       text NOT NULL CHECK (length(version) <= 64),
    state         text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'draining')),
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    lease_until   timestamptz NOT NULL,
    -- The node's own count at its last heartbeat (what it hosts in memory).
    call_sessions integer NOT NULL DEFAULT 0 CHECK (call_sessions >= 0),
    participants  integer NOT NULL DEFAULT 0 CHECK (participants >= 0),
    -- CPU its process used over the last heartbeat interval, in cores (1.0 = one core busy).
    cpu_cores     real NOT NULL DEFAULT 0 CHECK (cpu_cores >= 0)
);

-- The hosting node; NULL until placed (no node was active when the session started), and a
-- name that may no longer be in nodes (a node removed by hand) reads as lost.
ALTER TABLE call_sessions
    ADD COLUMN node_name text,
    ADD COLUMN placements integer NOT NULL DEFAULT 0 CHECK (placements >= 0);
CREATE INDEX call_sessions_live_node ON call_sessions (node_name) WHERE ended_at IS NULL;

-- 'active', 'draining' or 'lost', as GET /nodes shows it.
CREATE FUNCTION vg_node_state(n nodes) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT CASE WHEN n.lease_until < clock_timestamp() THEN 'lost' ELSE n.state END $$;

-- The active node with the fewest live call sessions placed on it (what is recorded, so that
-- placements in quick succession spread before any heartbeat reports them), then the fewest
-- participants and the least CPU it reported, ties at random; NULL when no node is active.
CREATE FUNCTION vg_least_loaded_node() RETURNS text
    LANGUAGE sql VOLATILE
    AS $$ SELECT n.name FROM nodes n
           WHERE n.state = 'active' AND n.lease_until >= clock_timestamp()
           ORDER BY (SELECT count(*) FROM call_sessions c
                      WHERE c.node_name = n.name AND c.ended_at IS NULL),
                    n.participants, n.cpu_cores, random()
           LIMIT 1 $$;

-- Placement when a call session starts, in the transaction that creates it, whatever code
-- inserts it.
CREATE FUNCTION vg_place_new_call_session() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.node_name IS NULL THEN
        NEW.node_name := vg_least_loaded_node();
        IF NEW.node_name IS NOT NULL THEN
            NEW.placements := 1;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER call_sessions_placed BEFORE INSERT ON call_sessions
    FOR EACH ROW EXECUTE FUNCTION vg_place_new_call_session();
