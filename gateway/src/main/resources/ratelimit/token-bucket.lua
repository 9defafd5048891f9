-- One token bucket per key, in a hash {t = tokens, ts = last update in ms}. Redis's own clock, so
-- every gateway instance counts alike. ARGV: capacity, milliseconds per token.
-- Returns {1, 0} when a token was taken, else {0, milliseconds until the next token}.
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) / refill)
  updated = now
end
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * refill)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(updated))
-- A full bucket needs no state: the key goes once it would have refilled.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * refill) + 1000)
return {allowed, wait}
