-- Creates a session unless its id is taken.
-- KEYS: meta hash, messages stream, message-id hash, branches sorted set, summaries list (one hash slot)
-- ARGV: userId, title, metadata JSON, now (epoch ms), ttl (ms, 0 = none)
-- The session starts at version 1 ('ver'), which every later write moves.
-- Returns 1 if created, 0 if the id was taken. No 'idx' field is set, so the first append tells the
-- indexes of the session again, whatever became of the index writes that follow this script.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
-- messages or ids left without their meta hash (evicted under memory pressure) belong to no
-- session: a new session starts empty, and its sequences start again at 1
-- the first write must be one that Redis refuses when out of memory (HSET, not DEL): after a
-- script's first write Redis lets the rest through, to keep the script atomic
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'title', ARGV[2], 'metadata', ARGV[3], 'active', '1',
  'createdAt', ARGV[4], 'updatedAt', ARGV[4], 'seq', '0', 'count', '0', 'ver', '1')
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return 1
