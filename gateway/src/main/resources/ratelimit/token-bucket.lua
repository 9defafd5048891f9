-- One token bucket per key, in a hash {t = tokens, ts = last update in ms}. Redis's own clock, so
-- every gateway instance counts alike. ARGV: capacity, milliseconds per token, and how many tokens
-- the caller would like at most (a lease it spends locally; 1 when absent).
-- Returns {tokens taken (at least 1), 0}, or {0, milliseconds until the next token}.
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3] or '1')
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
  allowed = math.min(wanted, math.floor(tokens))
  tokens = tokens - allowed
else
  wait = math.ceil((1 - tokens) * refill)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(updated))
-- A full bucket needs no state: the key goes once it would have refilled.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * refill) + 1000)
return {allowed, wait}
