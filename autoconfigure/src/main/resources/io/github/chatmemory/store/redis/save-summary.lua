-- Stores a summary as a session's newest, only if the session is the one the summary was made of
-- (its createdAt: not deleted and created again under the same id, where sequences and caller-chosen
-- message ids restart), the summary it extends is still the newest and the last message it covers
-- is still stored under the id it saw: a summary made from a state that has moved on (a newer
-- summary, a cleared or replaced history, another session) never claims to cover a message it did
-- not see. Messages appended meanwhile do not matter: the summary still covers what it says.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list (one hash slot)
-- ARGV: id of the summary it extends ('' = none), last covered sequence, last covered message id,
--       body (JSON with an 'id' field), most summaries kept, the session's createdAt (epoch ms), the
--       session's version the run read ('' = not checked): an import after it ('rw', the version at
--       which an import last wrote the history) may have kept ids and sequences and changed the text
-- Returns 'STORED', 'NOSESSION', 'PREVIOUS' (another summary is the newest) or 'MESSAGES'.
local meta, ids, sums = KEYS[1], KEYS[3], KEYS[5]
if redis.call('HGET', meta, 'createdAt') ~= ARGV[6] then
  return 'NOSESSION'
end
local latest = redis.call('LINDEX', sums, 0)
local latestId = ''
if latest then
  latestId = cjson.decode(latest)['id']
end
if latestId ~= ARGV[1] then
  return 'PREVIOUS'
end
-- the id hash maps each stored message id to '<sequence>:<fingerprint>'
local covered = redis.call('HGET', ids, ARGV[3])
if not covered or string.match(covered, '^%d+') ~= ARGV[2] then
  return 'MESSAGES'
end
if ARGV[7] ~= '' and tonumber(redis.call('HGET', meta, 'rw') or '0') > tonumber(ARGV[7]) then
  return 'MESSAGES'
end
redis.call('LPUSH', sums, ARGV[4])
redis.call('LTRIM', sums, 0, tonumber(ARGV[5]) - 1)
-- the summaries live as long as the session; later writes refresh every key of the session
local ttl = redis.call('PTTL', meta)
if ttl > 0 then
  redis.call('PEXPIRE', sums, ttl)
end
return 'STORED'
