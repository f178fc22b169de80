-- Removes index entries found to point at no live session, unless their score changed since
-- they were read: a session created again meanwhile keeps its fresh entry.
-- KEYS: one index sorted set
-- ARGV: member, score (epoch ms) pairs
-- Returns the number of entries removed.
local removed = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed
