-- Multi-user uncached search/list load: BENCH_TOKENS=t1,t2,... wrk ... -s multi.lua URL -- search|list|both
local words = {
 "jan","daan","sem","lucas","levi","finn","bram","thomas","pieter","kees","willem","hendrik","gerrit",
 "cornelis","dirk","ruben","jesse","thijs","lars","tim","niels","mark","jeroen","bas","martijn","sander",
 "erik","henk","joost","maarten","wouter","stefan","rob","frank","peter","hans","arjen","koen","sven",
 "milan","noah","luuk","tom","rik","gijs","jasper","vincent","johan","marco","ronald","edwin","dennis",
 "michiel","wim","emma","julia","sophie","tess","sanne","lisa","eva","anne","fleur","lotte","femke",
 "iris","noor","saskia","marieke","linda","esther","monique","ingrid","els","annemiek","petra","karin",
 "wilma","ria","anouk","kim","lieke","inge","mirjam","marloes","evi","sara","nina","loes","ilse",
 "yvonne","hanneke","marjolein","chantal","bianca","jolanda","mieke","janneke","johanna","maria","anna",
 "joke","judith","daphne","roos","merel","jasmijn","maud",
 "jong","jansen","vries","berg","dijk","bakker","janssen","visser","smit","meijer","boer","mulder",
 "groot","bos","vos","peters","hendriks","leeuwen","dekker","brouwer","wit","dijkstra","smits","graaf",
 "meer","linden","kok","jacobs","haan","vermeulen","heuvel","veen","broek","bruijn","bruin","heijden",
 "schouten","beek","willems","vliet","ven","hoekstra","maas","verhoeven","koster","dam","wal","prins",
 "blom","huisman","peeters","jonge","kuipers","post","kuiper","veenstra","kramer","brink","scholten",
 "wijk","postma","martens","vink","ruiter","timmermans","groen","gerritsen","jonker","loon","velde",
 "willemsen","smeets","lange","bosch","dongen","schipper","koning","laan","velden","driessen","doorn",
 "hermans","evers","meulen","hofman","bosman","wolters","sanders","horst","mol","kuijpers","molenaar",
 "pol","leeuw","verbeek","amrani","yilmaz","nguyen","pinas","veld","hof",
 "amsterdam","rotterdam","utrecht","eindhoven","groningen","tilburg","almere","breda","nijmegen",
 "apeldoorn","haarlem","arnhem","enschede","amersfoort","zaandam","zwolle","leiden","maastricht",
 "dordrecht","delft","alkmaar","deventer","leeuwarden","hilversum","gouda","middelburg","assen",
 "bouwbedrijf","gemeente","installatie","transport","adviesbureau","techniek","holland","noord","zuid"}
local lists = {
  "role:customer role:partner", "role:customer role:partner partner.tier:gold",
  "role:customer", "role:supplier role:customer", "role:partner partner.tier:silver",
  "role:customer role:stakeholder", "role:press", "role:partner partner.tier:strategic",
  "role:customer kind:organization", "role:supplier", "role:stakeholder stakeholder.stance:opposed",
  "role:customer role:partner role:supplier", "role:employee", "tag:vip", "role:customer tag:mkb",
  "role:partner partner.partner_type:reseller", "role:customer city:Utrecht", "kind:person role:press"}
local function esc(s) return (s:gsub("[^%w%.%-_~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
local tcount = 0
function setup(thread) tcount = tcount + 1; thread:set("tid", tcount) end
function init(args)
  mode = args[1] or "search"
  math.randomseed(7919 * (tid or 1) + (tonumber(args[2] or "0") or 0))
  hdrs = {}
  for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do
    hdrs[#hdrs + 1] = {["Authorization"] = "Bearer " .. t}
  end
end
local function search_path()
  local w = words[math.random(#words)]
  local n = math.random(2, 5); if n > #w then n = #w end
  return "/api/v1/parties?q=" .. esc(w:sub(1, n)) .. "&limit=20"
end
local function list_path()
  return "/api/v1/parties?q=" .. esc(lists[math.random(#lists)]) .. "&limit=50"
end
function request()
  local h = hdrs[math.random(#hdrs)]
  local p
  if mode == "search" then p = search_path()
  elseif mode == "list" then p = list_path()
  else if math.random(2) == 1 then p = search_path() else p = list_path() end end
  return wrk.format("GET", p, h)
end
local codes = {}
function response(status) if status ~= 200 then codes[status] = (codes[status] or 0) + 1 end end
function done(summary, latency, requests)
  io.write(string.format("RESULT req=%d secs=%.1f rps=%.0f p50=%.2fms p99=%.2fms max=%.1fms non200=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status))
end
