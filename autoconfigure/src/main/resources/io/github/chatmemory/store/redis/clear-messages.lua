-- Removes every message of a session and keeps the session; sequences go on from where they were.
-- KEYS: meta hash, messages stream, message-id hash
-- ARGV: now (epoch ms)
-- Returns 1 if the session exists, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HDEL', KEYS[1], 'sys')
redis.call('HSET', KEYS[1], 'count', '0', 'updatedAt', ARGV[1])
return 1
