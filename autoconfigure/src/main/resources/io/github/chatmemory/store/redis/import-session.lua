-- Writes a session, its messages and its summaries exactly as given (ids, sequences, timestamps),
-- atomically: no crash can leave an imported session without its summaries.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list, recall
--       task hash
-- ARGV: replace (1/0), userId, title, metadata JSON, active (1/0), createdAt, updatedAt (epoch ms),
--       ttl (ms, 0 = none), owner of a replaced session ('' = any), expected version of the
--       replaced session ('' = any), queue recall tasks (1/0), the number n of summaries, n
--       summary bodies (JSON, oldest
--       first, at most as many as a session keeps), then sequence, id, role, fingerprint, body,
--       media ('' = none) for each message in ascending sequence; as append.lua writes them, an
--       entry has a media field only when the message has media
-- Returns {'CONFLICT'} if the session exists and replace is 0, {'NOTOWNER'} if it exists and
-- is not the owner's or does not exist while a version is expected, {'VERSION', current version}
-- if it is at another version than expected, else {'OK', previous userId or '', version, when the
-- recall task this write queued or extended was first queued, or ''}: the version goes on from the
-- replaced session's, so that a write expecting that one fails. An import, new or replacing, makes
-- the session's recall task a rebuild.
-- The branches sorted set (KEYS[4]) of a replaced session is kept: its branches stay sessions.
local meta, msgs, ids = KEYS[1], KEYS[2], KEYS[3]
local previousUser, version = '', 0
local existed = redis.call('EXISTS', meta) == 1
if not existed and ARGV[10] ~= '' then
  return {'NOTOWNER'}
end
if existed then
  if ARGV[1] ~= '1' then
    return {'CONFLICT'}
  end
  previousUser = redis.call('HGET', meta, 'userId') or ''
  if ARGV[9] ~= '' and previousUser ~= ARGV[9] then
    return {'NOTOWNER'}
  end
  version = tonumber(redis.call('HGET', meta, 'ver') or '0')
  if ARGV[10] ~= '' and tostring(version) ~= ARGV[10] then
    return {'VERSION', tostring(version)}
  end
end
-- the first write must be one that Redis refuses when out of memory (HSET, not DEL): after a
-- script's first write Redis lets the rest through, to keep the script atomic
redis.call('HSET', meta, 'importing', '1')
redis.call('DEL', meta, msgs, ids, KEYS[5])
if not existed then
  -- a branch list left without its session (evicted under memory pressure) is not this one's
  redis.call('DEL', KEYS[4])
end
local summaries = tonumber(ARGV[12])
-- newest first, as save-summary.lua keeps them
for i = 13, 12 + summaries do
  redis.call('LPUSH', KEYS[5], ARGV[i])
end
local seq, count = '0', 0
for i = 13 + summaries, #ARGV, 6 do
  seq = ARGV[i]
  if ARGV[i + 5] ~= '' then
    redis.call('XADD', msgs, seq .. '-0', 'id', ARGV[i + 1], 'body', ARGV[i + 4], 'media', ARGV[i + 5])
  else
    redis.call('XADD', msgs, seq .. '-0', 'id', ARGV[i + 1], 'body', ARGV[i + 4])
  end
  redis.call('HSET', ids, ARGV[i + 1], seq .. ':' .. ARGV[i + 3])
  if ARGV[i + 2] == 'SYSTEM' then
    redis.call('HSET', meta, 'sys', seq)
  end
  count = count + 1
end
redis.call('HSET', meta, 'userId', ARGV[2], 'title', ARGV[3], 'metadata', ARGV[4], 'active', ARGV[5],
  'createdAt', ARGV[6], 'updatedAt', ARGV[7], 'idx', ARGV[7], 'seq', seq, 'count', count, 'ver', version + 1,
  'rw', version + 1)
if tonumber(ARGV[8]) > 0 then
  for i = 1, 3 do
    redis.call('PEXPIRE', KEYS[i], ARGV[8])
  end
  for i = 4, 5 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      redis.call('PEXPIRE', KEYS[i], ARGV[8])
    end
  end
end
local queued = ''
if ARGV[11] == '1' then
  queued = queueRecallTask(KEYS[6], 1, true)
end
return {'OK', previousUser, tostring(version + 1), queued}
