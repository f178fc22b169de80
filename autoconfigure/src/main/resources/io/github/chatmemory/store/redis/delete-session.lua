-- Deletes a session and its messages, optionally only if it has had no activity since a cutoff
-- and only if it belongs to a given owner.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list, recall
--       task hash (which outlives the session: its vectors must go too)
-- ARGV: cutoff (epoch ms; '' = delete whatever the activity), owner ('' = any), queue recall tasks
--       (1/0)
-- Returns {'0', queued} if the session did not exist, {'3'} if it is not the owner's, {'2', userId,
-- updatedAt} if it was kept because of newer activity, else {'1', userId ('' for none), queued}:
-- queued is when the recall task this write queued or extended was first queued, or ''.
-- A session that is gone already may have expired with vectors left behind: it is rebuilt too.
local queued = ''
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  if ARGV[3] == '1' then
    queued = queueRecallTask(KEYS[6], 1, true)
  end
  return {'0', queued}
end
local userId = redis.call('HGET', KEYS[1], 'userId') or ''
if ARGV[2] ~= '' and userId ~= ARGV[2] then
  return {'3'}
end
if ARGV[1] ~= '' then
  local updatedAt = redis.call('HGET', KEYS[1], 'updatedAt')
  if tonumber(updatedAt) >= tonumber(ARGV[1]) then
    return {'2', userId, updatedAt}
  end
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
if ARGV[3] == '1' then
  queued = queueRecallTask(KEYS[6], 1, true)
end
return {'1', userId, queued}
