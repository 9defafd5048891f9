-- Extends the rebuild lease while this rebuild holds it. ARGV: 1 prefix, 2 generation, 3 lease (ms).
if redis.call('GET', ARGV[1] .. ':building') == ARGV[2] then
  return redis.call('PEXPIRE', ARGV[1] .. ':building', ARGV[3])
end
return 0
