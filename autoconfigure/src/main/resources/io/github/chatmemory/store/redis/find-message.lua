-- Finds one message of a session by its id.
-- KEYS: meta hash, messages stream, message-id hash (one hash slot)
-- ARGV: message id
-- Returns {'0'} if the session does not exist, {'1'} if it holds no message with that id, else
-- {'1', sequence, body, media}: media is the entry's media field, or '' when it has none (an entry
-- written before media had a field of their own keeps them in its body).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'0'}
end
local value = redis.call('HGET', KEYS[3], ARGV[1])
local seq = value and string.match(value, '^%d+')
local entry = seq and redis.call('XRANGE', KEYS[2], seq .. '-0', seq .. '-0')[1]
if not entry then
  return {'1'}
end
return {'1', seq, entry[2][4], (entry[2][5] == 'media') and entry[2][6] or ''}
