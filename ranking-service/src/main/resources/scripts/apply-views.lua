-- Counts a run of views of ONE partition of the views topic, in offset order, each at most once
-- per key generation, with no key per view: a per-partition offset watermark, compared and
-- advanced in this same atomic step as the counters. Kafka delivers a partition's records in
-- offset order and redelivers (after a crash before the offset commit, a Redis timeout, an
-- offset reset by hand) from an earlier offset onwards, so "offset above the watermark" is
-- exactly "not applied yet". A batch split over several calls is exact on a re-run too: each
-- call is all-or-nothing and leaves the watermark at its last record.
--
-- The watermarks of a generation live in one hash, `<prefix>:g<n>:offsets`, with per partition
-- (field `<topic>:<partition>`):
--   `<tp>`         last offset applied by the live consumers
--   `<tp>:replay`  last offset applied by a rebuild's replay into this generation
--   `<tp>:first`   first offset the live consumers applied while this generation was being built
-- While a rebuild runs, two writers fill the new generation from both ends of a partition: the
-- replay from its beginning, the live consumers from wherever their group stands. They meet
-- exactly once: the live consumers skip what the replay applied (offset <= replay watermark),
-- the replay skips from the first offset the live consumers applied (offset >= first).
--
-- ARGV: 1 prefix, 2 target generation ('' = live: the serving one and the one being built),
-- 3 partition field (`<topic>:<partition>`), then per view 6 values, offsets ascending:
--   offset, image id, UTC day, seconds the day key is kept (0 = day no longer kept),
--   seconds the day's viewers are kept (0 = no more; only today's are read), viewer id or ''
-- Offsets are compared as numbers (exact up to 2^53) and stored as given (tostring would round).
-- Returns the number of views applied, summed over the generations written.
local prefix, target, tp = ARGV[1], ARGV[2], ARGV[3]
local FIRST_VIEW, PER_VIEW = 4, 6

local function count(p, at, expired, deleted)
  local image = ARGV[at + 1]
  if deleted[image] == nil then
    -- a late view of a deleted image must not bring it back
    deleted[image] = redis.call('EXISTS', p .. 'deleted:' .. image) == 1
  end
  if deleted[image] then
    return
  end
  redis.call('ZINCRBY', p .. 'views', 1, image)
  local ttl = tonumber(ARGV[at + 3])
  if ttl > 0 then
    local day = p .. 'views:' .. ARGV[at + 2]
    redis.call('ZINCRBY', day, 1, image)
    if not expired[day] then
      redis.call('EXPIRE', day, ttl)
      expired[day] = true
    end
  end
  local viewersTtl = tonumber(ARGV[at + 4])
  if ARGV[at + 5] ~= '' and viewersTtl > 0 then
    local viewers = p .. 'viewers:' .. ARGV[at + 2] .. ':' .. image
    redis.call('PFADD', viewers, ARGV[at + 5])
    if not expired[viewers] then
      redis.call('EXPIRE', viewers, viewersTtl)
      expired[viewers] = true
    end
  end
end

-- Applies the views above `floor` and below `ceiling` (nil: none); returns how many were
-- applied, and the offsets (as given) of the first and last of them.
local function applyRange(p, floor, ceiling)
  local applied, first, last = 0, nil, nil
  local expired, deleted = {}, {}
  for at = FIRST_VIEW, #ARGV, PER_VIEW do
    local offset = tonumber(ARGV[at])
    if offset > floor and (ceiling == nil or offset < ceiling) then
      count(p, at, expired, deleted)
      applied = applied + 1
      first = first or ARGV[at]
      last = ARGV[at]
    end
  end
  return applied, first, last
end

local function number(value)
  return value and tonumber(value) or -1
end

if target ~= '' then
  -- a rebuild's replay, into its own generation
  local p = prefix .. ':g' .. target .. ':'
  local offsets = p .. 'offsets'
  local state = redis.call('HMGET', offsets, tp .. ':replay', tp .. ':first')
  local liveFirst = state[2] and tonumber(state[2]) or nil
  local applied, _, last = applyRange(p, number(state[1]), liveFirst)
  if last then
    redis.call('HSET', offsets, tp .. ':replay', last)
  end
  return applied
end

local serving = redis.call('GET', prefix .. ':serving') or '0'
local generations = { serving }
local building = redis.call('GET', prefix .. ':building')
if building and building ~= serving then
  generations[2] = building
end

local total = 0
for _, generation in ipairs(generations) do
  local p = prefix .. ':g' .. generation .. ':'
  local offsets = p .. 'offsets'
  local state = redis.call('HMGET', offsets, tp, tp .. ':replay', tp .. ':first')
  local floor = math.max(number(state[1]), number(state[2]))
  local applied, first, last = applyRange(p, floor, nil)
  if last then
    redis.call('HSET', offsets, tp, last)
    if generation == building and not state[3] then
      redis.call('HSET', offsets, tp .. ':first', first)
    end
  end
  total = total + applied
end
return total
