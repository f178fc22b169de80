-- Reads a page of a session's summaries, newest first, with their number, in one round trip.
-- KEYS: meta hash, summaries list
-- ARGV: first index, last index (inclusive)
-- Returns {'0'} if the session does not exist, else {'1', number of summaries, body, ...}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'0'}
end
local result = {'1', tostring(redis.call('LLEN', KEYS[2]))}
for _, body in ipairs(redis.call('LRANGE', KEYS[2], ARGV[1], ARGV[2])) do
  result[#result + 1] = body
end
return result
