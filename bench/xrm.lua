-- wrk script for the xrm benchmark scenarios.
--
--   BENCH_TOKEN=TOKEN wrk -t2 -c64 -d10s -s bench/xrm.lua http://127.0.0.1:PORT -- SCENARIO MIN_ID MAX_ID
--
-- The API token comes from the environment, so it is not on the command line.
--
-- SCENARIO is one of:
--   read    GET /api/v1/parties/{id}, random ids from the loaded range
--   360     GET /api/v1/parties/{id}/view: the 360 view (party, roles, relationships,
--           records, timeline of 20, open tasks) in one request
--   360-pair GET /api/v1/parties/{id}, then GET /api/v1/parties/{id}/timeline?limit=20
--           of the same id (the stand-in used before the 360 endpoint landed: two
--           requests per view)
--   search  GET /api/v1/parties?q=<3-letter prefix>&limit=20
--   list    GET /api/v1/parties?q=role:customer role:partner[ partner.tier:gold]&limit=50
--   write   POST /api/v1/activities (a note or call on a random party)
--   mix     80% read, 15% search (two thirds prefix search, one third list), 5% write
--   floor   GET /api/v1/session: authenticated, no party data (xrm's own HTTP and auth cost)
--   static  GET /party.json?id={id} (nginx: the HTTP limit of the machine)
--
-- done() prints one line "BENCHJSON {...}" with requests, duration and latency
-- percentiles in microseconds, for bench/bench.py.

-- Common 3-letter starts of Dutch given and family names in the generated data
-- (keep equal to the list in bench/sqlbench.c).
local prefixes = {
  "jan", "dij", "bak", "vis", "mee", "mul", "gro", "bos", "pet", "hen", "lee", "dek",
  "bro", "wil", "smi", "ber", "kui", "ver", "mar", "san", "ann", "tho", "kee", "joh",
  "pie", "lot", "fem", "emm", "jon", "haa", "hui", "wit", "sop", "lis", "eva", "ing"}

local lists = {
  "/api/v1/parties?q=role%3Acustomer%20role%3Apartner&limit=50",
  "/api/v1/parties?q=role%3Acustomer%20role%3Apartner%20partner.tier%3Agold&limit=50"}

local subjects = {"Terugbelverzoek", "Offerte besproken", "Vraag over factuur",
                  "Kennismakingsgesprek", "Klacht over levering", "Afspraak bevestigd"}

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function init(args)
  scenario = args[1] or "read"
  local token = os.getenv("BENCH_TOKEN") or ""
  lo = tonumber(args[2] or "1")
  hi = tonumber(args[3] or "1")
  math.randomseed(7919 * (tid or 1) + 17)
  get_headers = {["Authorization"] = "Bearer " .. token}
  post_headers = {["Authorization"] = "Bearer " .. token,
                  ["Content-Type"] = "application/json"}
  pending = nil -- 360-pair: the id whose timeline comes next
end

local function random_id()
  return math.random(lo, hi)
end

local function read_req()
  return wrk.format("GET", "/api/v1/parties/" .. random_id(), get_headers)
end

local function search_req()
  local p = prefixes[math.random(#prefixes)]
  return wrk.format("GET", "/api/v1/parties?q=" .. p .. "&limit=20", get_headers)
end

local function list_req()
  return wrk.format("GET", lists[math.random(#lists)], get_headers)
end

local function write_req()
  local body = string.format(
    '{"type":"%s","domain":"sales","subject":"%s","body":"Benchmark","parties":[%d]}',
    math.random(2) == 1 and "note" or "call", subjects[math.random(#subjects)], random_id())
  return wrk.format("POST", "/api/v1/activities", post_headers, body)
end

function request()
  if scenario == "read" then
    return read_req()
  elseif scenario == "360" then
    return wrk.format("GET", "/api/v1/parties/" .. random_id() .. "/view", get_headers)
  elseif scenario == "360-pair" then
    if pending then
      local id = pending
      pending = nil
      return wrk.format("GET", "/api/v1/parties/" .. id .. "/timeline?limit=20", get_headers)
    end
    pending = random_id()
    return wrk.format("GET", "/api/v1/parties/" .. pending, get_headers)
  elseif scenario == "search" then
    return search_req()
  elseif scenario == "list" then
    return list_req()
  elseif scenario == "write" then
    return write_req()
  elseif scenario == "mix" then
    local r = math.random(100)
    if r <= 80 then
      return read_req()
    elseif r <= 90 then
      return search_req()
    elseif r <= 95 then
      return list_req()
    end
    return write_req()
  elseif scenario == "floor" then
    -- the cheapest authenticated request: no party data, for the HTTP and auth cost alone
    return wrk.format("GET", "/api/v1/session", get_headers)
  elseif scenario == "static" then
    return wrk.format("GET", "/party.json?id=" .. random_id(), get_headers)
  end
  error("unknown scenario " .. tostring(scenario))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
