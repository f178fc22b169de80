-- Releases a lock only if it still holds the caller's token: a lock that expired and
-- was taken by another instance is left to that instance.
-- KEYS[1] the lock, ARGV[1] the caller's token; returns 1 if released, else 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
