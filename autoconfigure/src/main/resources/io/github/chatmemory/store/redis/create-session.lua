-- Creates a session unless its id is taken.
-- KEYS: meta hash
-- ARGV: userId, title, metadata JSON, now (epoch ms), ttl (ms, 0 = none)
-- Returns 1 if created, 0 if the id was taken.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'title', ARGV[2], 'metadata', ARGV[3], 'active', '1',
  'createdAt', ARGV[4], 'updatedAt', ARGV[4], 'seq', '0', 'count', '0')
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return 1
