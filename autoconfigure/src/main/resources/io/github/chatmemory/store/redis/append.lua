-- Appends messages to one session in one round trip, never reading the history.
-- KEYS: meta hash, messages stream, message-id hash, summaries list (one hash slot; a replacement
--       removes the summaries, which would cover replaced messages)
-- ARGV: now (epoch ms), ttl (ms, 0 = none), max history (0 = none), create if missing (1/0),
--       replace (1/0), index resolution (ms), owner ('' = any), then id, role, response-to id
--       ('' = none), fingerprint, body for each message
-- The id hash maps each message id to '<sequence>:<fingerprint>', the fingerprint telling a
-- retry of the same message from a different message under a known id.
-- Returns {'NOSESSION'}, {'INACTIVE'}, {'CONFLICT', index (1-based)} (a known id with another
-- message), {'NORESPONSETO', index (1-based)} or {'OK', userId,
-- removed, index due (1/0), seq1, stored body1 or '', ...}: removed counts the messages
-- replaced or trimmed; index due says that the activity indexes were last told of this
-- session more than the index resolution ago; a stored body is returned for an id that was
-- already present (an idempotent retry) or kept by a replacement. Nothing is written unless the
-- reply is OK, and nothing either when every message was stored already.
local meta, msgs, ids = KEYS[1], KEYS[2], KEYS[3]
local now, ttl, maxHistory = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local owner, replace = ARGV[7], ARGV[5] == '1'
local FIRST = 8

local exists = redis.call('EXISTS', meta) == 1
if exists then
  if owner ~= '' and redis.call('HGET', meta, 'userId') ~= owner then
    return {'NOSESSION'}
  end
  if redis.call('HGET', meta, 'active') == '0' then
    return {'INACTIVE'}
  end
elseif ARGV[4] ~= '1' or owner ~= '' then
  return {'NOSESSION'}
end

-- check the whole batch before writing anything: a known id comes with the same message, and
-- every answered message is in the session (and not about to be replaced) or earlier in the batch
local function stored(id)
  if not exists or replace then
    return nil
  end
  local value = redis.call('HGET', ids, id)
  return value and (string.match(value, ':(.*)$') or '')
end
local batch = {}
for i = FIRST, #ARGV, 5 do
  local id, responseTo, fingerprint = ARGV[i], ARGV[i + 2], ARGV[i + 3]
  local known = batch[id] or stored(id)
  if known then
    -- an id stored before fingerprints were kept has '' and matches any message
    if known ~= '' and known ~= fingerprint then
      return {'CONFLICT', tostring((i - FIRST) / 5 + 1)}
    end
  else
    if responseTo ~= '' and not batch[responseTo] and not stored(responseTo) then
      return {'NORESPONSETO', tostring((i - FIRST) / 5 + 1)}
    end
    batch[id] = fingerprint
  end
end

-- the first write of each path is one that Redis refuses when out of memory (HSET, HINCRBY;
-- not DEL): after a script's first write Redis lets the rest through, to keep it atomic
if not exists then
  redis.call('HSET', meta, 'userId', '', 'title', '', 'metadata', '{}', 'active', '1', 'createdAt', now,
    'updatedAt', now, 'seq', '0', 'count', '0')
  -- a stream or id hash left without its meta hash (evicted under memory pressure) would
  -- collide with the new sequences
  redis.call('DEL', msgs, ids, KEYS[4])
end

-- a replacement that repeats a stored message (same id and fingerprint) keeps its body, and so
-- its creation time, as Spring AI's MessageWindowChatMemory re-saves every message on each add
local kept = {}
if replace and exists then
  for i = FIRST, #ARGV, 5 do
    local id, fingerprint = ARGV[i], ARGV[i + 3]
    local value = redis.call('HGET', ids, id)
    if value and string.match(value, ':(.*)$') == fingerprint then
      local entry = redis.call('XRANGE', msgs, string.match(value, '^%d+') .. '-0', string.match(value, '^%d+') .. '-0')[1]
      if entry then
        kept[id] = entry[2][4]
      end
    end
  end
end

local removed = 0
if replace then
  redis.call('HSET', meta, 'updatedAt', now)
  removed = redis.call('XLEN', msgs)
  redis.call('DEL', msgs, ids, KEYS[4])
  redis.call('HDEL', meta, 'sys')
end

local result = {'OK', redis.call('HGET', meta, 'userId') or '', '0', '0'}
local added = 0
for i = FIRST, #ARGV, 5 do
  local id, role, fingerprint, body = ARGV[i], ARGV[i + 1], ARGV[i + 3], ARGV[i + 4]
  local existing = redis.call('HGET', ids, id)
  existing = existing and string.match(existing, '^%d+')
  local entry = existing and redis.call('XRANGE', msgs, existing .. '-0', existing .. '-0')[1]
  if entry then
    result[#result + 1] = existing
    result[#result + 1] = entry[2][4]
  else
    local seq = tostring(redis.call('HINCRBY', meta, 'seq', 1))
    redis.call('XADD', msgs, seq .. '-0', 'id', id, 'body', kept[id] or body)
    redis.call('HSET', ids, id, seq .. ':' .. fingerprint)
    if role == 'SYSTEM' then
      redis.call('HSET', meta, 'sys', seq)
    end
    result[#result + 1] = seq
    result[#result + 1] = kept[id] or ''
    added = added + 1
  end
end
if exists and not replace and added == 0 then
  -- a retry of messages that are all stored already changes nothing, not even the activity
  return result
end
local indexed = tonumber(redis.call('HGET', meta, 'idx') or '0')
if not exists or replace or tonumber(now) - indexed >= tonumber(ARGV[6]) then
  redis.call('HSET', meta, 'idx', now)
  result[4] = '1'
end

local length = redis.call('XLEN', msgs)
if maxHistory > 0 and length > maxHistory then
  -- forget the ids of trimmed messages too, so the id hash stays bounded
  for _, old in ipairs(redis.call('XRANGE', msgs, '-', '+', 'COUNT', length - maxHistory)) do
    redis.call('HDEL', ids, old[2][2])
  end
  redis.call('XTRIM', msgs, 'MAXLEN', maxHistory)
  removed = removed + length - maxHistory
  length = maxHistory
end
result[3] = tostring(removed)
redis.call('HSET', meta, 'updatedAt', now, 'count', length)
if ttl > 0 then
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, ttl)
  end
end
return result
