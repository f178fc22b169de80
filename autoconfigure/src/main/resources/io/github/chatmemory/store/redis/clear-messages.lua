-- Removes every message of a session and keeps the session; sequences go on from where they were.
-- KEYS: meta hash, messages stream, message-id hash
-- ARGV: now (epoch ms)
-- Returns -1 if the session does not exist, else the number of messages removed.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local removed = redis.call('XLEN', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HDEL', KEYS[1], 'sys')
redis.call('HSET', KEYS[1], 'count', '0', 'updatedAt', ARGV[1])
return removed
