-- Reads a range of one session's messages, and optionally the session's message count and
-- newest system message (wherever it is), in one round trip, with a bounded reply.
-- KEYS: meta hash, messages stream, summaries list (one hash slot)
-- ARGV: direction ('after' or 'before'), bound sequence ('' = none), limit, with system (1/0),
--       byte budget of the reply's messages, with media (1/0), with the latest summary (1/0)
-- Returns a flat array, which every client decodes the same way:
-- {'0'} if the session does not exist, else {'1', message count, system count (0/1), more (1/0),
-- version, latest summary (JSON, '' when none or not asked for), then sequence, id, body, media for the system message if any, then for each message
-- in stream order}. media is the entry's media field, or '' when it has none or media are not
-- wanted (an entry written before media had a field of their own keeps them in its body).
-- more = 1 when the byte budget, which counts only what the reply carries, ended the reply
-- before the limit: the caller reads on from the last sequence, so one huge read never holds a
-- shared connection for long.
local meta, msgs = KEYS[1], KEYS[2]
if redis.call('EXISTS', meta) == 0 then
  return {'0'}
end
local result = {'1', redis.call('HGET', meta, 'count') or '0', '0', '0', redis.call('HGET', meta, 'ver') or '0',
  (ARGV[7] == '1') and (redis.call('LINDEX', KEYS[3], 0) or '') or ''}
local budget, withMedia = tonumber(ARGV[5]), ARGV[6] == '1'
local function push(entry)
  -- entries are {'id', id, 'body', body[, 'media', media]}
  local media = (withMedia and entry[2][5] == 'media') and entry[2][6] or ''
  result[#result + 1] = string.match(entry[1], '^%d+')
  result[#result + 1] = entry[2][2]
  result[#result + 1] = entry[2][4]
  result[#result + 1] = media
  budget = budget - #entry[2][4] - #media
end
if ARGV[4] == '1' then
  local sys = redis.call('HGET', meta, 'sys')
  local system = sys and redis.call('XRANGE', msgs, sys .. '-0', sys .. '-0')[1]
  if system then
    result[3] = '1'
    push(system)
  end
end
-- read in small chunks and stop at the limit or the byte budget, so that the work of one
-- call follows what it returns, not what was asked for
local forward = ARGV[1] == 'after'
if not forward and ARGV[2] == '0' then
  -- nothing comes before sequence 0, and Redis rejects the range '(0-0'
  return result
end
local remaining = tonumber(ARGV[3])
local cursor
if forward then
  cursor = '(' .. ARGV[2] .. '-0'
elseif ARGV[2] ~= '' then
  cursor = '(' .. ARGV[2] .. '-0'
else
  cursor = '+'
end
local pushed = 0
while remaining > 0 do
  local count = math.min(remaining, 32)
  local entries
  if forward then
    entries = redis.call('XRANGE', msgs, cursor, '+', 'COUNT', count)
  else
    entries = redis.call('XREVRANGE', msgs, cursor, '-', 'COUNT', count)
  end
  for _, entry in ipairs(entries) do
    if budget <= 0 and pushed > 0 then
      result[4] = '1'
      return result
    end
    push(entry)
    pushed = pushed + 1
    remaining = remaining - 1
    cursor = '(' .. entry[1]
  end
  if #entries < count then
    break
  end
end
return result
