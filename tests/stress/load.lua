-- load.lua: the wrk script of the load test (tests/stress/load.py, docs/HARDENING.md).
--
-- Each connection sends a mix of reads and writes:
--   reads (READ_SHARE of requests): the report as of a day, a name search,
--     a member's page, lists of units, organizations and members;
--   writes: admissions of new members, with ids LT<thread>-<n> unique to the
--     run, and transfers of members this thread admitted and saw acknowledged
--     (a 201 already received), each at most once.
-- Writes stop WRITE_STOP seconds after the start (the driver passes it), so
-- that normally no write is still in flight when wrk stops. Each write sent
-- is recorded, so that one still in flight (sent, never answered: it may or
-- may not have been committed) can be told from one the server made up.
--
-- The data (cells, members, search words, dates, session headers) come from
-- the file named by COSO_LOAD_DATA, a Lua chunk written by the driver.
-- Every response is counted by status; the ids of acknowledged admissions
-- and transfers, and the first unexpected answers, are collected per thread
-- and written by done() to COSO_LOAD_OUT.

local data = dofile(os.getenv("COSO_LOAD_DATA"))
local threads = {}
local nthreads = 0

function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
   table.insert(threads, thread)
end

-- per thread (each has its own Lua state)
local counter = 0
local pending = {}       -- acknowledged admissions not yet transferred (ids)
local npending = 0
local start = nil
local rng = 0
status_counts = {}
admitted = {}            -- id -> true when its 201 arrived
transferred = {}         -- id -> true when its 200 arrived
sent_admit = {}          -- id -> true when its admission was sent
sent_transfer = {}       -- id -> true when its transfer was sent
unexpected = {}          -- "status body" of answers that are not 2xx
nunexpected = 0
writes_sent = 0

local function json_escape(s)
   return (s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

local headers_get = {}
local headers_post = { ["Content-Type"] = "application/json" }
if data.cookie and data.cookie ~= "" then
   headers_get["Cookie"] = data.cookie
   headers_post["Cookie"] = data.cookie
end
if data.csrf and data.csrf ~= "" then
   headers_post["X-CSRF-Token"] = data.csrf
end

function init(args)
   start = os.time()
   rng = (tid or 1) * 7919
   math.randomseed(rng)
end

local function pick(list)
   return list[math.random(#list)]
end

local function read_request()
   local r = math.random(100)
   local path
   if r <= 20 then
      path = "/api/v1/reports/asof?scope=" .. data.scope .. "&as_of=" .. pick(data.report_days)
   elseif r <= 40 then
      path = "/api/v1/members?q=" .. pick(data.words) .. "&per_page=20"
   elseif r <= 60 then
      path = "/api/v1/members/" .. pick(data.members) .. "?as_of=" .. data.today
   elseif r <= 75 then
      path = "/api/v1/units?parent=" .. pick(data.communes) .. "&as_of=" .. data.today
   elseif r <= 90 then
      path = "/api/v1/orgs?scope=" .. pick(data.communes) .. "&per_page=50"
   else
      path = "/api/v1/members?org=" .. pick(data.cells) .. "&as_of=" .. data.today .. "&sort=-admitted_on"
   end
   return wrk.format("GET", path, headers_get)
end

local function admit_request()
   counter = counter + 1
   local id = string.format("LT%d-%d", tid, counter)
   local n = (tid * 100003 + counter)
   local body = string.format(
      '{"id":"%s","full_name":"Lò Văn Tải %d","gender":"%s","birth_date":"%s","ethnicity":"Thái",' ..
      '"admitted_on":"%s","org_code":"%s"}',
      id, n, (n % 2 == 0) and "male" or "female", data.birth_date, data.today,
      json_escape(data.cells[(n % #data.cells) + 1]))
   writes_sent = writes_sent + 1
   sent_admit[id] = true
   return wrk.format("POST", "/api/v1/members", headers_post, body)
end

local function transfer_request()
   local id = pending[npending]
   pending[npending] = nil
   npending = npending - 1
   local t, c = id:match("^LT(%d+)-(%d+)$")
   local n = tonumber(t) * 100003 + tonumber(c)
   local body = string.format('{"date":"%s","org_code":"%s"}', data.transfer_day,
      json_escape(data.cells[((n + 7) % #data.cells) + 1]))
   writes_sent = writes_sent + 1
   sent_transfer[id] = true
   return wrk.format("POST", "/api/v1/members/" .. id .. "/transfer", headers_post, body)
end

function request()
   local writing = os.time() - start < data.write_stop
   local r = math.random(100)
   if writing and r > data.read_share then
      if npending > 0 and r % 3 == 0 then
         return transfer_request()
      end
      return admit_request()
   end
   return read_request()
end

function response(status, headers, body)
   status_counts[status] = (status_counts[status] or 0) + 1
   if status == 201 then
      local id = body:match('"member":{"id":"(LT%d+%-%d+)"')
      if id then
         admitted[id] = true
         npending = npending + 1
         pending[npending] = id
      end
   elseif status == 200 and body:find('"member":{"id":"LT', 1, true) then
      -- a transfer's answer: the member's page (only the load test's own
      -- members have ids LT...; reads never ask for their pages)
      local id = body:match('"member":{"id":"(LT%d+%-%d+)"')
      if id and body:find('"kind":"transfer"', 1, true) then
         transferred[id] = true
      end
   elseif status < 200 or status >= 300 then
      if nunexpected < 20 then
         nunexpected = nunexpected + 1
         unexpected[nunexpected] = tostring(status) .. " " .. body:sub(1, 300)
      end
   end
end

function done(summary, latency, requests)
   local out = assert(io.open(os.getenv("COSO_LOAD_OUT"), "w"))
   local e = summary.errors
   out:write(string.format("requests %d\nduration_us %d\nbytes %d\n", summary.requests, summary.duration,
                           summary.bytes))
   out:write(string.format("errors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_status %d\nerrors_timeout %d\n",
                           e.connect, e.read, e.write, e.status, e.timeout))
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      out:write(string.format("latency_p%s_us %d\n", tostring(p), latency:percentile(p)))
   end
   out:write(string.format("latency_mean_us %d\nlatency_max_us %d\n", latency.mean, latency.max))
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("status_counts")) do
         out:write(string.format("status %d %d\n", status, n))
      end
      out:write(string.format("writes_sent %d\n", thread:get("writes_sent")))
      for id, _ in pairs(thread:get("admitted")) do
         out:write("admitted " .. id .. "\n")
      end
      for id, _ in pairs(thread:get("transferred")) do
         out:write("transferred " .. id .. "\n")
      end
      for id, _ in pairs(thread:get("sent_admit")) do
         out:write("sent_admit " .. id .. "\n")
      end
      for id, _ in pairs(thread:get("sent_transfer")) do
         out:write("sent_transfer " .. id .. "\n")
      end
      for _, u in ipairs(thread:get("unexpected")) do
         out:write("unexpected " .. u:gsub("\n", " ") .. "\n")
      end
   end
   out:close()
end
