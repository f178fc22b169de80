-- Records a session branched off this one, in this session's own slot, so that it is deleted
-- with this session and expires with it.
-- KEYS: meta hash, branches sorted set (one hash slot)
-- ARGV: branch session id, when it was made (epoch ms)
-- Returns 0 if the session does not exist (nothing written), else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return 1
