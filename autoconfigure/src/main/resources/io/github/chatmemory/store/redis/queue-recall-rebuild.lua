-- Queues a rebuild of a session's recall vectors, whether or not the session exists.
-- KEYS: the session's recall task hash
-- Returns the stamp at which the task was queued, or '' if the rebuild merged into a queued task.
return queueRecallTask(KEYS[1], 1, true)
