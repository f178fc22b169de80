-- Appends messages to one session in one round trip, never reading the history.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list (one hash
--       slot; a replacement removes the summaries, which would cover replaced messages), recall
--       task hash (never expired nor deleted here: it outlives the session)
-- ARGV: now (epoch ms), ttl (ms, 0 = none), max history (0 = none), create if missing (1/0),
--       replace (1/0), index resolution (ms), owner ('' = any), expected version ('' = any), queue
--       recall tasks (1/0), then
--       id, role, response-to id ('' = none), fingerprint, body, media ('' = none) for each message
-- A stream entry holds 'id', 'body' and, only when the message has media, 'media', so that
-- reads that do not return media do not send them; entries written before media had a field
-- of their own keep them in the body.
-- The id hash maps each message id to '<sequence>:<fingerprint>', the fingerprint telling a
-- retry of the same message from a different message under a known id.
-- Returns {'NOSESSION'}, {'INACTIVE'}, {'CONFLICT', index (1-based)} (a known id with another
-- message), {'NORESPONSETO', index (1-based)}, {'VERSION', current version} (a new message to
-- write and the session at another version than expected) or {'OK', userId,
-- removed, index due (1/0), seq1, stored body1 or '', stored media field1 (1/0), ..., version or '' when
-- nothing was written, when the recall task this write queued or extended was first queued or ''}:
-- removed counts the messages replaced or trimmed; index due says that the activity indexes
-- were last told of this session more than the index resolution ago; a stored body is returned
-- for an id that was already present (an idempotent retry) or kept by a replacement, with
-- whether its entry has a media field: its media are then the given message's (the
-- fingerprints match), and are not sent back. Nothing is written unless the reply is OK, and
-- nothing either when every message was stored already.
local meta, msgs, ids = KEYS[1], KEYS[2], KEYS[3]
local now, ttl, maxHistory = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local owner, replace, expected = ARGV[7], ARGV[5] == '1', ARGV[8]
local FIRST, STRIDE = 10, 6

local exists = redis.call('EXISTS', meta) == 1
if exists then
  if owner ~= '' and redis.call('HGET', meta, 'userId') ~= owner then
    return {'NOSESSION'}
  end
  if redis.call('HGET', meta, 'active') == '0' then
    return {'INACTIVE'}
  end
elseif ARGV[4] ~= '1' or owner ~= '' or expected ~= '' then
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
local new = false
for i = FIRST, #ARGV, STRIDE do
  local id, responseTo, fingerprint = ARGV[i], ARGV[i + 2], ARGV[i + 3]
  local known = batch[id] or stored(id)
  if known then
    -- an id stored before fingerprints were kept has '' and matches any message
    if known ~= '' and known ~= fingerprint then
      return {'CONFLICT', tostring((i - FIRST) / STRIDE + 1)}
    end
  else
    if responseTo ~= '' and not batch[responseTo] and not stored(responseTo) then
      return {'NORESPONSETO', tostring((i - FIRST) / STRIDE + 1)}
    end
    batch[id] = fingerprint
    new = true
  end
end
-- only a write is version-checked: a retry of messages that are all stored already returns them
if expected ~= '' and new and (redis.call('HGET', meta, 'ver') or '0') ~= expected then
  return {'VERSION', redis.call('HGET', meta, 'ver') or '0'}
end

-- the first write of each path is one that Redis refuses when out of memory (HSET, HINCRBY;
-- not DEL): after a script's first write Redis lets the rest through, to keep it atomic
if not exists then
  redis.call('HSET', meta, 'userId', '', 'title', '', 'metadata', '{}', 'active', '1', 'createdAt', now,
    'updatedAt', now, 'seq', '0', 'count', '0')
  -- a stream, id hash, branch list or summaries left without their meta hash (evicted under
  -- memory pressure) would collide with the new sequences or belong to another session
  redis.call('DEL', msgs, ids, KEYS[4], KEYS[5])
end

-- the media field of a stream entry, or nil: entries are {'id', id, 'body', body[, 'media', media]}
local function media(entry)
  return entry[2][5] == 'media' and entry[2][6] or nil
end

-- a replacement that repeats a stored message (same id and fingerprint) keeps its entry, and so
-- its creation time, as Spring AI's MessageWindowChatMemory re-saves every message on each add
local kept = {}
if replace and exists then
  for i = FIRST, #ARGV, STRIDE do
    local id, fingerprint = ARGV[i], ARGV[i + 3]
    local value = redis.call('HGET', ids, id)
    if value and string.match(value, ':(.*)$') == fingerprint then
      local entry = redis.call('XRANGE', msgs, string.match(value, '^%d+') .. '-0', string.match(value, '^%d+') .. '-0')[1]
      if entry then
        kept[id] = {entry[2][4], media(entry)}
      end
    end
  end
end

local removed = 0
if replace then
  redis.call('HSET', meta, 'updatedAt', now)
  removed = redis.call('XLEN', msgs)
  redis.call('DEL', msgs, ids, KEYS[5])
  redis.call('HDEL', meta, 'sys')
end

local result = {'OK', redis.call('HGET', meta, 'userId') or '', '0', '0'}
local added, firstAdded = 0, nil
for i = FIRST, #ARGV, STRIDE do
  local id, role, fingerprint = ARGV[i], ARGV[i + 1], ARGV[i + 3]
  local existing = redis.call('HGET', ids, id)
  existing = existing and string.match(existing, '^%d+')
  local entry = existing and redis.call('XRANGE', msgs, existing .. '-0', existing .. '-0')[1]
  if entry then
    result[#result + 1] = existing
    result[#result + 1] = entry[2][4]
    result[#result + 1] = media(entry) and '1' or '0'
  else
    local seq = tostring(redis.call('HINCRBY', meta, 'seq', 1))
    local body, mediaField = ARGV[i + 4], ARGV[i + 5]
    if kept[id] then
      body, mediaField = kept[id][1], kept[id][2] or ''
    end
    if mediaField ~= '' then
      redis.call('XADD', msgs, seq .. '-0', 'id', id, 'body', body, 'media', mediaField)
    else
      redis.call('XADD', msgs, seq .. '-0', 'id', id, 'body', body)
    end
    redis.call('HSET', ids, id, seq .. ':' .. fingerprint)
    if role == 'SYSTEM' then
      redis.call('HSET', meta, 'sys', seq)
    end
    result[#result + 1] = seq
    result[#result + 1] = kept[id] and body or ''
    result[#result + 1] = (kept[id] and mediaField ~= '') and '1' or '0'
    added = added + 1
    firstAdded = firstAdded or tonumber(seq)
  end
end
if exists and not replace and added == 0 then
  -- a retry of messages that are all stored already changes nothing, not even the activity; it
  -- has no version of its own ('' ): the current one may hold another writer's changes since
  result[#result + 1] = ''
  result[#result + 1] = ''
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
result[#result + 1] = tostring(redis.call('HINCRBY', meta, 'ver', 1))
local queued = ''
if ARGV[9] == '1' and (replace or added > 0) then
  -- a replacement gives every message a new sequence: the session's vectors are rebuilt
  queued = queueRecallTask(KEYS[6], firstAdded or 1, replace)
end
result[#result + 1] = queued
if ttl > 0 then
  for i = 1, 5 do
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
return result
