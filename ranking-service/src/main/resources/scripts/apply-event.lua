-- Applies one image event (likes, display data, deletions; not views, see apply-views.lua) to the
-- rankings at most once per key generation. The dedupe key (SET NX with an expiry longer than the
-- redelivery window) and the effect are written in this one atomic step, so a consumer killed
-- between this script and its offset commit finds the event already applied when Kafka delivers
-- it again, and an event the outbox relay published twice (at two offsets) counts once.
--
-- Every key starts with the prefix (a hash tag, e.g. {rankings}) and the key generation: the
-- live consumers write into the serving generation and, while a rebuild runs, into the one
-- being built; a rebuild writes only into its own. Keys are derived here, not passed in KEYS,
-- because the generation is read atomically with the effect; the shared hash tag keeps them in
-- one slot.
--
-- ARGV: 1 prefix, 2 target generation ('' = live), 3 event id, 4 dedupe TTL (seconds), 5 op
-- (like|display|delete), 6 image id, then per op:
--   like:    7 like count after the change, 8 event time (micros), 9 UTC day, 10 seconds the day key is kept
--   display: 7 title, 8 thumbnail URL or '', 9 event time (micros)
--   delete:  7 tombstone TTL (seconds, 0 = none), 8 today, 9.. the UTC days whose keys may hold it
-- Returns the number of generations the event was applied to (0: seen before everywhere).
local prefix, target, eventId, dedupeTtl, op, image = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]

-- The event carries the exact count after the change: the score is set to it, never incremented,
-- so it cannot drift or go below zero. A count older than the one applied is ignored.
local function like(p)
  local count, at = tonumber(ARGV[7]), tonumber(ARGV[8])
  if count < 0 then count = 0 end
  local last = redis.call('HGET', p .. 'likes:at', image)
  if last and tonumber(last) > at then
    return
  end
  local before = tonumber(redis.call('ZSCORE', p .. 'likes', image) or '0')
  redis.call('HSET', p .. 'likes:at', image, ARGV[8])
  if count > 0 then
    redis.call('ZADD', p .. 'likes', count, image)
  else
    redis.call('ZREM', p .. 'likes', image)
  end
  local ttl = tonumber(ARGV[10])
  if ttl > 0 and count ~= before then
    local day = p .. 'likes:' .. ARGV[9]
    redis.call('ZINCRBY', day, count - before, image)
    redis.call('EXPIRE', day, ttl)
  end
end

local function display(p)
  local key = p .. 'image:' .. image
  if ARGV[8] ~= '' then
    redis.call('HSET', key, 'thumbnailUrl', ARGV[8])
  end
  local last = redis.call('HGET', key, 'titleAt')
  if not last or tonumber(last) <= tonumber(ARGV[9]) then
    redis.call('HSET', key, 'title', ARGV[7], 'titleAt', ARGV[9])
  end
end

local function delete(p)
  if tonumber(ARGV[7]) > 0 then
    redis.call('SET', p .. 'deleted:' .. image, '1', 'EX', ARGV[7])
  end
  redis.call('ZREM', p .. 'views', image)
  redis.call('ZREM', p .. 'likes', image)
  redis.call('HDEL', p .. 'likes:at', image)
  redis.call('DEL', p .. 'image:' .. image)
  for i = 9, #ARGV do
    redis.call('ZREM', p .. 'views:' .. ARGV[i], image)
    redis.call('ZREM', p .. 'likes:' .. ARGV[i], image)
    redis.call('DEL', p .. 'viewers:' .. ARGV[i] .. ':' .. image)
  end
  redis.call('DEL', p .. 'views:week:' .. ARGV[8], p .. 'likes:week:' .. ARGV[8])
end

local generations
if target ~= '' then
  generations = { target }
else
  local serving = redis.call('GET', prefix .. ':serving') or '0'
  generations = { serving }
  local building = redis.call('GET', prefix .. ':building')
  if building and building ~= serving then
    generations[2] = building
  end
end

local applied = 0
for _, generation in ipairs(generations) do
  local p = prefix .. ':g' .. generation .. ':'
  if redis.call('SET', p .. 'seen:' .. eventId, '1', 'NX', 'EX', dedupeTtl) then
    applied = applied + 1
    if op == 'delete' then
      delete(p)
    elseif redis.call('EXISTS', p .. 'deleted:' .. image) == 1 then
      -- a late event of a deleted image must not bring it back
    elseif op == 'like' then
      like(p)
    elseif op == 'display' then
      display(p)
    end
  end
end
return applied
