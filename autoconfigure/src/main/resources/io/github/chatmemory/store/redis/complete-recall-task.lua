-- Records an indexer's progress on a session's recall task, against what was merged into the task
-- since the indexer read it (ChatMemoryStore#completeRecallTask).
-- KEYS: the session's recall task hash
-- ARGV: the stamp the indexer read, the sequence through which it indexed, finished (1/0)
-- Returns 1 if the task is gone (removed now, or before), 0 if it stays.
local rq = KEYS[1]
local stamp = redis.call('HGET', rq, 'stamp')
if not stamp then
  return 1
end
local through = tonumber(ARGV[2])
if stamp == ARGV[1] then
  if ARGV[3] == '1' then
    redis.call('DEL', rq)
    return 1
  end
  -- the same task, part of it done: what it had to remove is removed, the rest starts after through
  local from = through + 1
  if redis.call('HGET', rq, 'rebuild') ~= '1' then
    from = math.max(from, tonumber(redis.call('HGET', rq, 'from')))
  end
  redis.call('HSET', rq, 'rebuild', '0', 'from', string.format('%.0f', from))
  return 0
end
-- a write was merged since: a rebuild stays one, any other task never moves its start back
if redis.call('HGET', rq, 'rebuild') ~= '1' and tonumber(redis.call('HGET', rq, 'from')) <= through then
  redis.call('HSET', rq, 'from', string.format('%.0f', through + 1))
end
return 0
