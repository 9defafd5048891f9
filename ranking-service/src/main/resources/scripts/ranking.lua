-- One ranking page with its display data, in one round trip of the serving generation. A window
-- of several days is the union of its day keys, stored under a briefly cached key.
-- ARGV: 1 prefix, 2 ranked key, 3 limit, 4 cache TTL (ms; 0 = recompute on every read), 5.. day keys
-- to union (if any).
-- Returns id, score, title, thumbnail URL for each ranked image ('' for unknown display data).
local prefix = ARGV[1]
local p = prefix .. ':g' .. (redis.call('GET', prefix .. ':serving') or '0') .. ':'
local key = p .. ARGV[2]
if #ARGV > 4 and (ARGV[4] == '0' or redis.call('EXISTS', key) == 0) then
  local sources = {}
  for i = 5, #ARGV do
    sources[#sources + 1] = p .. ARGV[i]
  end
  redis.call('ZUNIONSTORE', key, #sources, unpack(sources))
  redis.call('PEXPIRE', key, math.max(tonumber(ARGV[4]), 1000))
end
local ranked = redis.call('ZREVRANGEBYSCORE', key, '+inf', '(0', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local page = {}
for i = 1, #ranked, 2 do
  local shown = redis.call('HMGET', p .. 'image:' .. ranked[i], 'title', 'thumbnailUrl')
  page[#page + 1] = ranked[i]
  page[#page + 1] = ranked[i + 1]
  page[#page + 1] = shown[1] or ''
  page[#page + 1] = shown[2] or ''
end
return page
