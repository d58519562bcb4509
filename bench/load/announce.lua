-- wrk script: realistic announces from a stable population of peers.
--
--   BENCH_TARGET=chihaya|opentracker BENCH_HASHES=work/infohashes.txt \
--   BENCH_USERS=20000 BENCH_TORRENTS=100000 BENCH_PEERS=100000 BENCH_T0=<unix time> \
--   wrk -t1 -c256 -d15s --latency -s bench/load/announce.lua http://127.0.0.1:34100
--
-- Every peer is fixed by its index and BENCH_SEED: a user (uniform), a torrent (zipf, s = 1:
-- torrent k is about k times less popular than torrent 1), a peer_id '-BN0001-' + 12 digits,
-- a port, and a role: 60% seeders, 40% leechers that start part-way through a download.
-- Requests walk the peers round-robin, so each peer re-announces at a steady rate. Counters
-- are rates times the seconds since BENCH_T0, so they grow across rounds (each wrk run is a
-- new Lua state) and never go backwards. A leecher whose download is done sends
-- event=completed once and seeds from then on; 0.5% of announces are event=stopped, after
-- which that peer's next announce is event=started. With BENCH_STARTED=1 (the warm-up) each
-- peer's first announce is event=started. All requests ask for compact=1.
--
-- chihaya gets /<passkey>/announce?..., passkey = LPAD(LOWER(HEX(user id)), 32, '0');
-- opentracker (public) gets /announce?... with the same query.
-- Counted per response: non-200 statuses and bencoded failures ("d14:failure reason").
-- done() prints one line "RESULT key=value ..." that bench/load/run parses.

local function env_number(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return tonumber(value)
end

local target = os.getenv("BENCH_TARGET") or "chihaya"
local hashes_file = os.getenv("BENCH_HASHES") or "bench/load/work/infohashes.txt"
local users = env_number("BENCH_USERS", 20000)
local torrents = env_number("BENCH_TORRENTS", 100000)
local total_peers = env_number("BENCH_PEERS", 100000)
local wrk_threads = env_number("BENCH_THREADS", 1)
local t0 = env_number("BENCH_T0", os.time())
local seed = env_number("BENCH_SEED", 42)
local send_started = os.getenv("BENCH_STARTED") == "1"
local stop_fraction = env_number("BENCH_STOPPED", 0.005)
-- BENCH_CLOSE=1 asks for a new connection per announce, as opentracker always does.
local request_end = os.getenv("BENCH_CLOSE") == "1"
    and "&compact=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    or "&compact=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua state; globals below are per thread).
local prefix = {}      -- "/<passkey>/announce?info_hash=...&peer_id=...&port=N&compact=1"
local up_rate = {}     -- bytes per second uploaded
local down_rate = {}   -- bytes per second downloaded (leechers)
local size = {}        -- torrent size in bytes (leechers)
local progress0 = {}   -- bytes already downloaded at BENCH_T0 (leechers)
local seeding = {}     -- true once left = 0
local pending = {}     -- event for the peer's next announce ("" for none)
local count = 0
local next_peer = 0
non200 = 0
failures = 0
completed = 0
stopped = 0
started = 0

function init(args)
  local index = thread_index or 1
  -- Peers of this thread: global indexes index, index + threads, index + 2 * threads, ...
  math.randomseed(seed * 7919 + index)
  local wanted = {}
  local peer_torrent = {}
  local log_torrents = math.log(torrents)
  local global = index
  while global <= total_peers do
    count = count + 1
    local rank = math.floor(math.exp(math.random() * log_torrents))
    if rank < 1 then rank = 1 elseif rank > torrents then rank = torrents end
    peer_torrent[count] = rank
    wanted[rank] = true
    global = global + wrk_threads
  end
  -- Only the info hashes this thread announces on are kept (the file may hold 1M lines).
  local hash_of = {}
  local line_number = 0
  local file = assert(io.open(hashes_file, "r"), "cannot open " .. hashes_file)
  for line in file:lines() do
    line_number = line_number + 1
    if wanted[line_number] then hash_of[line_number] = line end
  end
  file:close()
  assert(line_number >= torrents, hashes_file .. " has fewer lines than BENCH_TORRENTS")
  global = index
  for i = 1, count do
    local user = math.random(users)
    local path
    if target == "opentracker" then
      path = "/announce?info_hash="
    else
      path = string.format("/%032x/announce?info_hash=", user)
    end
    local port = 1024 + (global % 64000)
    prefix[i] = path .. hash_of[peer_torrent[i]] .. string.format("&peer_id=-BN0001-%012d&port=%d", global, port)
    up_rate[i] = math.random(16384, 1048576)
    if math.random() < 0.6 then
      seeding[i] = true
    else
      seeding[i] = false
      -- 1..8 GB at 64 KB/s..1 MB/s, 0..95% done at BENCH_T0: a few percent finish during a
      -- run of some minutes (sending completed), so the share of seeders stays near 60%.
      size[i] = math.random(1024, 8192) * 1048576
      down_rate[i] = math.random(64, 1024) * 1024
      progress0[i] = math.floor(size[i] * math.random() * 0.95)
    end
    pending[i] = send_started and "&event=started" or ""
    global = global + wrk_threads
  end
  -- Start each thread at a different place so that threads do not move in step.
  next_peer = math.random(count) - 1
end

function request()
  next_peer = next_peer % count + 1
  local i = next_peer
  local elapsed = os.time() - t0
  if elapsed < 1 then elapsed = 1 end
  local uploaded = up_rate[i] * elapsed + 1
  local downloaded, left
  local event = pending[i]
  pending[i] = ""
  if seeding[i] then
    downloaded, left = 0, 0
  else
    downloaded = progress0[i] + down_rate[i] * elapsed
    if downloaded >= size[i] then
      downloaded, left = size[i], 0
      seeding[i] = true
      if event == "" then
        event = "&event=completed"
        completed = completed + 1
      end
    else
      left = size[i] - downloaded
    end
  end
  if event == "" and math.random() < stop_fraction then
    event = "&event=stopped"
    pending[i] = "&event=started"
    stopped = stopped + 1
  elseif event == "&event=started" then
    started = started + 1
  end
  return "GET " .. prefix[i] .. string.format("&uploaded=%d&downloaded=%d&left=%d", uploaded, downloaded, left)
      .. event .. request_end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif string.sub(body, 1, 18) == "d14:failure reason" then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("failure: " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local totals = { non200 = 0, failures = 0, completed = 0, stopped = 0, started = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
  end
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
      "RESULT target=%s requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f "
          .. "non200=%d failures=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d "
          .. "completed=%d stopped=%d started=%d\n",
      target, summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000,
      totals.non200, totals.failures, errors.connect, errors.read, errors.write, errors.timeout,
      totals.completed, totals.stopped, totals.started))
end
