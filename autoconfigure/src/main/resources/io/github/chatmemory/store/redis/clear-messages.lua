-- Removes every message of a session, and its summaries with them (they would cover messages that
-- are gone, and hold their content), and keeps the session; sequences go on from where they were.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list
--       (branches stay: they are sessions of their own), recall task hash
-- ARGV: now (epoch ms), ttl (ms, 0 = none), owner ('' = any), queue recall tasks (1/0)
-- Returns {'0'} if the session does not exist (or is not the owner's), else {'1', userId ('' for
-- none), messages removed, when the recall task this write queued or extended was first queued or
-- ''}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'0'}
end
local userId = redis.call('HGET', KEYS[1], 'userId') or ''
if ARGV[3] ~= '' and userId ~= ARGV[3] then
  return {'0'}
end
local removed = redis.call('XLEN', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[5])
redis.call('HDEL', KEYS[1], 'sys')
redis.call('HSET', KEYS[1], 'count', '0', 'updatedAt', ARGV[1], 'idx', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'ver', 1)
if tonumber(ARGV[2]) > 0 then
  -- every key that stays lives as long as the session: the branches too
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
end
local queued = ''
if ARGV[4] == '1' then
  queued = queueRecallTask(KEYS[6], 1, true)
end
return {'1', userId, tostring(removed), queued}
