-- wrk script: POST /api/v1/appointments, every request at a slot start of its own on the
-- 30-minute grid (47 slots a day from 00:00 UTC, as the availability gives), so bookings
-- succeed; counts 201, 409 and other answers. Settings come from the environment (run.sh).
--   VG_BASE_EPOCH  the first day's 00:00 UTC     VG_DAYS    days to spread over
--   VG_SITE, VG_SERVICE, VG_KEY                  VG_DELAY_MS  mean pause between requests
local threads = {}
local next_id = 0

function setup(thread)
    thread:set("tid", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local pause = tonumber(os.getenv("VG_DELAY_MS") or "0")
if pause > 0 then
    -- Random pauses so the connections do not fire in step: an open-loop-like offered load.
    function delay()
        return math.floor(pause * (0.5 + math.random()))
    end
end

function init(args)
    nthreads = tonumber(os.getenv("VG_THREADS"))
    base = tonumber(os.getenv("VG_BASE_EPOCH"))
    slots = 47 * tonumber(os.getenv("VG_DAYS"))
    site = os.getenv("VG_SITE")
    service = os.getenv("VG_SERVICE")
    headers = {
        ["Authorization"] = "Bearer " .. os.getenv("VG_KEY"),
        ["Content-Type"] = "application/json",
    }
    counter = 0
    created, refused, other = 0, 0, 0
    math.randomseed(os.time() + tid)
end

function request()
    local n = (tid + counter * nthreads) % slots
    counter = counter + 1
    local t = base + math.floor(n / 47) * 86400 + (n % 47) * 1800
    local body = string.format(
        '{"site_id":"%s","service_id":"%s","starts_at":"%s","citizen":{"name":"Bench %d","language":"fr"}}',
        site, service, os.date("!%Y-%m-%dT%H:%M:%SZ", t), n)
    return wrk.format("POST", "/api/v1/appointments", headers, body)
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
    elseif status == 409 then
        refused = refused + 1
    else
        other = other + 1
    end
end

function done(summary, latency, requests)
    local c, r, o = 0, 0, 0
    for _, thread in ipairs(threads) do
        c = c + thread:get("created")
        r = r + thread:get("refused")
        o = o + thread:get("other")
    end
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f created=%d refused=%d other=%d errors=%d p50_us=%d p99_us=%d mean_us=%d\n",
        summary.requests, summary.duration / 1e6, c, r, o,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(50), latency:percentile(99), latency.mean))
end
