-- Makes the rebuilt generation the serving one, if this rebuild still holds the lease.
-- ARGV: 1 prefix, 2 rebuilt generation. Returns the previous serving generation, or '' if the
-- lease was lost (another rebuild took over, or the lease expired).
local prefix, generation = ARGV[1], ARGV[2]
if redis.call('GET', prefix .. ':building') ~= generation then
  return ''
end
local previous = redis.call('GET', prefix .. ':serving') or '0'
redis.call('SET', prefix .. ':serving', generation)
redis.call('DEL', prefix .. ':building')
return previous
