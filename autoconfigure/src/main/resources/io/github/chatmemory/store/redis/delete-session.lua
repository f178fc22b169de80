-- Deletes a session and its messages.
-- KEYS: meta hash, messages stream, message-id hash
-- Returns {'0'} if the session did not exist, else {'1', userId ('' for none), message count}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3])
  return {'0'}
end
local userId = redis.call('HGET', KEYS[1], 'userId') or ''
local count = redis.call('XLEN', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return {'1', userId, tostring(count)}
