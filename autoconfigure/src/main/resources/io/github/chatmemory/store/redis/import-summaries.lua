-- Writes the summaries of a session just written by import-session.lua, replacing any it has.
-- Two scripts, so that import-session.lua stays one script for every import: between them the
-- session has no summaries, which a window reads as "none yet".
-- KEYS: meta hash, summaries list (one hash slot)
-- ARGV: most summaries kept, then bodies (JSON) oldest first
-- Returns 1 if written, 0 if the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV do
  redis.call('LPUSH', KEYS[2], ARGV[i])
end
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return 1
