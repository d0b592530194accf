-- wrk script: agents claiming the next citizen while booths keep adding walk-ins. Run with one
-- connection per thread (-t N -c N): each thread is one agent, and each cycle is
--   POST /api/v1/queue/claim-next  (the agent's token; the timed request)
--   POST /api/v1/booth/leave       (the token of the booth whose entry it was offered: the
--                                    citizen leaves, the entry is abandoned, the agent is
--                                    available again)
--   POST /api/v1/booth/walk-in     (the same booth: a new citizen joins the queue)
-- A booth's entry is offered to one agent at a time, so only that agent's thread drives the
-- booth until its next walk-in. claim-next latencies (µs, from the request being built to the
-- response) go to VG_LATENCY_DIR/claim.<thread>, one a line. Settings from the environment:
--   VG_AGENTS  file of agent tokens, one a line      VG_BOOTHS  file of "booth_id token" lines
--   VG_SERVICE the walk-in service                   VG_DELAY_MS  mean pause before a claim
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } vg_timespec;
int clock_gettime(int clock, vg_timespec* ts);
]]

local threads = {}
local next_id = 0

function setup(thread)
    thread:set("tid", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local function lines(path)
    local out = {}
    for line in io.lines(path) do
        table.insert(out, line)
    end
    return out
end

local clock = ffi.new("vg_timespec")
local function now_us()
    ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
    return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local pause = tonumber(os.getenv("VG_DELAY_MS") or "0")

function init(args)
    agent_token = lines(os.getenv("VG_AGENTS"))[tid + 1]
    booth_tokens = {}
    for _, line in ipairs(lines(os.getenv("VG_BOOTHS"))) do
        local id, token = line:match("^(%S+) (%S+)$")
        booth_tokens[id] = token
    end
    walk_in_body = string.format('{"service_id":"%s","language":"fr"}', os.getenv("VG_SERVICE"))
    latencies = io.open(os.getenv("VG_LATENCY_DIR") .. "/claim." .. tid, "w")
    latencies:setvbuf("line")
    step, booth, started = "claim", nil, 0
    claimed, empty, other = 0, 0, 0
    math.randomseed(os.time() + tid)
end

if pause > 0 then
    -- Random pauses before each claim so the agents do not claim in step.
    function delay()
        if step == "claim" then
            return math.floor(pause * (0.5 + math.random()))
        end
        return 0
    end
end

local function post(path, token, body)
    return wrk.format("POST", "/api/v1" .. path, {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }, body)
end

function request()
    if step == "leave" then
        return post("/booth/leave", booth_tokens[booth], "{}")
    elseif step == "walk_in" then
        return post("/booth/walk-in", booth_tokens[booth], walk_in_body)
    end
    started = now_us()
    return post("/queue/claim-next", agent_token, "{}")
end

function response(status, headers, body)
    if step == "claim" then
        latencies:write(now_us() - started, "\n")
        booth = status == 200 and body:match('"booth_id": *"([^"]+)"') or nil
        if booth and booth_tokens[booth] then
            claimed = claimed + 1
            step = "leave"
        elseif status == 204 then
            empty = empty + 1
        else
            other = other + 1
        end
    elseif step == "leave" then
        step = "walk_in"
        if status ~= 204 then other = other + 1 end
    else
        step = "claim"
        if status ~= 201 then other = other + 1 end
    end
end

function done(summary, latency, requests)
    local c, e, o = 0, 0, 0
    for _, thread in ipairs(threads) do
        c = c + thread:get("claimed")
        e = e + thread:get("empty")
        o = o + thread:get("other")
    end
    io.write(string.format("RESULT requests=%d seconds=%.3f claimed=%d empty=%d other=%d errors=%d\n",
        summary.requests, summary.duration / 1e6, c, e, o,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
