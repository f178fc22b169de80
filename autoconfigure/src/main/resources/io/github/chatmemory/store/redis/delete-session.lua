-- Deletes a session and its messages.
-- KEYS: meta hash, messages stream, message-id hash
-- Returns '0' if the session did not exist, else '1' followed by its userId (empty for none).
local userId = redis.call('HGET', KEYS[1], 'userId')
local existed = redis.call('EXISTS', KEYS[1]) == 1
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
if not existed then
  return '0'
end
return '1' .. (userId or '')
