-- wrk script for the xrm benchmark scenarios.
--
--   BENCH_TOKEN=TOKEN BENCH_REQUESTS=FILE wrk -t2 -c64 -d10s -s bench/xrm.lua \
--       http://127.0.0.1:PORT -- SCENARIO MIN_ID MAX_ID
--
-- The API token comes from the environment, so it is not on the command line.
--
-- Multi-user scenarios (the headline ones): every request carries the token
-- of a random one of the office's 50 users (bench/queries.py: sales, HR,
-- purchasing, partners, PR, admins, each with their own access), party ids
-- come from a Zipf sample (s = 1.1: a few hot parties) and texts from
-- thousands of different search and list texts, each user only using texts
-- of domains they may read. BENCH_REQUESTS names the file bench.py writes
-- for them (read once per thread in init()).
--   read    GET /api/v1/parties/{id}
--   360     GET /api/v1/parties/{id}/view: the 360 view (party, roles, relationships,
--           records, timeline of 20, open tasks) in one request
--   360-pair GET /api/v1/parties/{id}, then GET /api/v1/parties/{id}/timeline?limit=20
--           of the same id (the stand-in used before the 360 endpoint landed: two
--           requests per view)
--   search  GET /api/v1/parties?q=<free words: a name, city or trade prefix, pairs>&limit=20
--           (the list page with a text: the answer has the total)
--   search-box GET /api/v1/parties?q=<the same texts>&limit=8&total=false (what the web app's
--           search box and pickers send as one types: eight names, no total counted)
--   list    GET /api/v1/parties?q=<roles, attribute terms, tags, cities>&limit=50
--   write   POST /api/v1/activities (a note or call on a party, in a domain the user writes)
--   mix     80% read, 10% search, 5% list, 5% write
--
-- Single-user scenarios (BENCH_TOKEN, one admin, as before issue 24; the
-- response cache answers most of their search and list requests):
--   read-1u   GET /api/v1/parties/{id}, uniform random ids
--   search-1u GET /api/v1/parties?q=<one of 36 3-letter prefixes>&limit=20
--   list-1u   GET /api/v1/parties?q=role:customer role:partner[ partner.tier:gold]&limit=50
--   mix-1u    80% read-1u, 10% search-1u, 5% list-1u, 5% write
--   floor     GET /api/v1/session: authenticated, no party data (xrm's own HTTP and auth cost)
--   static    GET /party.json?id={id} (nginx: the HTTP limit of the machine)
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

-- The multi-user file (bench/queries.py write_requests_file): lines
--   u TOKEN WRITE_DOMAIN READABLE,DOMAINS   a user
--   i ID                                    a party id of the Zipf sample
--   s DOMAINS|- QUERY                       a search text (URL-encoded)
--   l DOMAINS|- QUERY                       a list text (URL-encoded)
-- Each user gets the texts whose domains they may all read.
local function load_requests(path)
  local f = io.open(path, "r")
  if not f then
    error("cannot open BENCH_REQUESTS file " .. tostring(path))
  end
  local texts = {s = {}, l = {}}
  for line in f:lines() do
    local kind, a, b, c = line:match("^(%a) (%S+) ?(%S*) ?(%S*)$")
    if kind == "u" then
      local readable = {}
      for d in c:gmatch("[^,]+") do
        readable[d] = true
      end
      users[#users + 1] = {
        get = {["Authorization"] = "Bearer " .. a},
        post = {["Authorization"] = "Bearer " .. a, ["Content-Type"] = "application/json"},
        domain = b, readable = readable, s = {}, l = {}}
    elseif kind == "i" then
      ids[#ids + 1] = tonumber(a)
    elseif kind == "s" or kind == "l" then
      local need = {}
      if a ~= "-" then
        for d in a:gmatch("[^,]+") do
          need[#need + 1] = d
        end
      end
      local list = texts[kind]
      list[#list + 1] = {need = need, q = b}
    end
  end
  f:close()
  for _, u in ipairs(users) do
    for kind, list in pairs(texts) do
      for _, t in ipairs(list) do
        local ok = true
        for _, d in ipairs(t.need) do
          ok = ok and u.readable[d] == true
        end
        if ok then
          u[kind][#u[kind] + 1] = t.q
        end
      end
    end
  end
  if #users == 0 or #ids == 0 then
    error("BENCH_REQUESTS file " .. path .. " has no users or no ids")
  end
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
  users, ids = {}, {}
  local path = os.getenv("BENCH_REQUESTS")
  if path and path ~= "" and not scenario:find("%-1u$") and scenario ~= "floor"
     and scenario ~= "static" then
    load_requests(path)
  end
end

local function random_id()
  return math.random(lo, hi)
end

local function user()
  return users[math.random(#users)]
end

local function zipf_id()
  return ids[math.random(#ids)]
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

local function m_read()
  return wrk.format("GET", "/api/v1/parties/" .. zipf_id(), user().get)
end

local function m_view()
  return wrk.format("GET", "/api/v1/parties/" .. zipf_id() .. "/view", user().get)
end

local function m_text(kind, limit, extra)
  local u = user()
  while #u[kind] == 0 do
    u = user()
  end
  return wrk.format("GET", "/api/v1/parties?q=" .. u[kind][math.random(#u[kind])] ..
                    "&limit=" .. limit .. (extra or ""), u.get)
end

local function m_write()
  local u = user()
  local body = string.format(
    '{"type":"%s","domain":"%s","subject":"%s","body":"Benchmark","parties":[%d]}',
    math.random(2) == 1 and "note" or "call", u.domain, subjects[math.random(#subjects)],
    zipf_id())
  return wrk.format("POST", "/api/v1/activities", u.post, body)
end

function request()
  if scenario == "read" then
    return m_read()
  elseif scenario == "360" then
    return m_view()
  elseif scenario == "360-pair" then
    if pending then
      local p = pending
      pending = nil
      return wrk.format("GET", "/api/v1/parties/" .. p.id .. "/timeline?limit=20", p.u.get)
    end
    pending = {id = zipf_id(), u = user()}
    return wrk.format("GET", "/api/v1/parties/" .. pending.id, pending.u.get)
  elseif scenario == "search" then
    return m_text("s", 20)
  elseif scenario == "search-box" then
    return m_text("s", 8, "&total=false")
  elseif scenario == "list" then
    return m_text("l", 50)
  elseif scenario == "write" then
    return m_write()
  elseif scenario == "mix" then
    local r = math.random(100)
    if r <= 80 then
      return m_read()
    elseif r <= 90 then
      return m_text("s", 20)
    elseif r <= 95 then
      return m_text("l", 50)
    end
    return m_write()
  elseif scenario == "read-1u" then
    return read_req()
  elseif scenario == "search-1u" then
    return search_req()
  elseif scenario == "list-1u" then
    return list_req()
  elseif scenario == "mix-1u" then
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
