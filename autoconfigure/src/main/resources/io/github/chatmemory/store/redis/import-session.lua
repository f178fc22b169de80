-- Writes a session and its messages exactly as given (ids, sequences, timestamps), atomically.
-- KEYS: meta hash, messages stream, message-id hash, summaries list (import-summaries.lua writes
--       the imported ones)
-- ARGV: replace (1/0), userId, title, metadata JSON, active (1/0), createdAt, updatedAt (epoch ms),
--       ttl (ms, 0 = none), owner of a replaced session ('' = any), then sequence, id, role,
--       fingerprint, body for each message in ascending sequence
-- Returns {'CONFLICT'} if the session exists and replace is 0, {'NOTOWNER'} if it exists and
-- is not the owner's, else {'OK', previous userId or ''}.
local meta, msgs, ids = KEYS[1], KEYS[2], KEYS[3]
local previousUser = ''
if redis.call('EXISTS', meta) == 1 then
  if ARGV[1] ~= '1' then
    return {'CONFLICT'}
  end
  previousUser = redis.call('HGET', meta, 'userId') or ''
  if ARGV[9] ~= '' and previousUser ~= ARGV[9] then
    return {'NOTOWNER'}
  end
end
-- the first write must be one that Redis refuses when out of memory (HSET, not DEL): after a
-- script's first write Redis lets the rest through, to keep the script atomic
redis.call('HSET', meta, 'importing', '1')
redis.call('DEL', meta, msgs, ids, KEYS[4])
local seq, count = '0', 0
for i = 10, #ARGV, 5 do
  seq = ARGV[i]
  redis.call('XADD', msgs, seq .. '-0', 'id', ARGV[i + 1], 'body', ARGV[i + 4])
  redis.call('HSET', ids, ARGV[i + 1], seq .. ':' .. ARGV[i + 3])
  if ARGV[i + 2] == 'SYSTEM' then
    redis.call('HSET', meta, 'sys', seq)
  end
  count = count + 1
end
redis.call('HSET', meta, 'userId', ARGV[2], 'title', ARGV[3], 'metadata', ARGV[4], 'active', ARGV[5],
  'createdAt', ARGV[6], 'updatedAt', ARGV[7], 'idx', ARGV[7], 'seq', seq, 'count', count)
if tonumber(ARGV[8]) > 0 then
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, ARGV[8])
  end
end
return {'OK', previousUser}
