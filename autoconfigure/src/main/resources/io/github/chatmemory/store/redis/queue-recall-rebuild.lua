-- Queues a rebuild of a session's recall vectors, whether or not the session exists.
-- KEYS: the session's recall task hash
-- Returns when the session's task was first queued.
return queueRecallTask(KEYS[1], 1, true)
