-- Changes a session's title and/or active flag, counting as activity.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list
-- ARGV: set title (1/0), title, active ('1', '0' or '' = unchanged), now (epoch ms), ttl (ms, 0 =
--       none), owner ('' = any), expected version ('' = any)
-- Returns {} if the session does not exist (or is not the owner's), {'VERSION', current version}
-- if it is at another version than expected (nothing written), else the session hash as field,
-- value pairs.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
if ARGV[6] ~= '' and redis.call('HGET', KEYS[1], 'userId') ~= ARGV[6] then
  return {}
end
if ARGV[7] ~= '' then
  local version = redis.call('HGET', KEYS[1], 'ver') or '0'
  if version ~= ARGV[7] then
    return {'VERSION', version}
  end
end
redis.call('HINCRBY', KEYS[1], 'ver', 1)
if ARGV[1] == '1' then
  redis.call('HSET', KEYS[1], 'title', ARGV[2])
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'active', ARGV[3])
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4], 'idx', ARGV[4])
if tonumber(ARGV[5]) > 0 then
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, ARGV[5])
  end
end
return redis.call('HGETALL', KEYS[1])
