-- The counters of one image in the serving generation; nothing for an unknown or deleted image.
-- ARGV: 1 prefix, 2 image id, 3 today (UTC day).
-- Returns views, likes, views today, unique viewers today, as strings.
local prefix, image, today = ARGV[1], ARGV[2], ARGV[3]
local p = prefix .. ':g' .. (redis.call('GET', prefix .. ':serving') or '0') .. ':'
if redis.call('EXISTS', p .. 'deleted:' .. image) == 1 then
  return {}
end
local views = redis.call('ZSCORE', p .. 'views', image)
local likes = redis.call('ZSCORE', p .. 'likes', image)
if not views and not likes and redis.call('EXISTS', p .. 'image:' .. image) == 0 then
  return {}
end
local viewsToday = redis.call('ZSCORE', p .. 'views:' .. today, image)
local unique = redis.call('PFCOUNT', p .. 'viewers:' .. today .. ':' .. image)
return { views or '0', likes or '0', viewsToday or '0', tostring(unique) }
