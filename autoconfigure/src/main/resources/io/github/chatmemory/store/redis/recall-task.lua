-- The recall queue's one write, put in front of every script that changes what a session's recall
-- vectors must hold (see RedisSessionScripts#withRecallTask): queues a task for the session in its
-- own slot, in the same atomic step as the write, or merges the write into the session's task.
-- The task is a hash {stamp, from, rebuild (1/0), queued}: stamp changes with every merged write and
-- never repeats for the session: it is the server's time in microseconds, and past the task's last
-- stamp while the task lives, so a task queued after another was removed gets a later one; queued is
-- the first stamp, the task's place in the queue.
-- Returns when the task was first queued, its place in the queue, which the caller lists (again: a
-- write whose listing was lost to a crash or a lost reply has it sent again by the session's next one).
local function queueRecallTask(rq, from, rebuild)
  local time = redis.call('TIME')
  local stamp = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local last = redis.call('HGET', rq, 'stamp')
  if last then
    stamp = string.format('%.0f', math.max(stamp, tonumber(last) + 1))
    if rebuild then
      redis.call('HSET', rq, 'stamp', stamp, 'rebuild', '1')
    elseif tonumber(redis.call('HGET', rq, 'from')) > from then
      redis.call('HSET', rq, 'stamp', stamp, 'from', string.format('%.0f', from))
    else
      redis.call('HSET', rq, 'stamp', stamp)
    end
    return redis.call('HGET', rq, 'queued')
  end
  stamp = string.format('%.0f', stamp)
  redis.call('HSET', rq, 'stamp', stamp, 'from', string.format('%.0f', from), 'rebuild', rebuild and '1' or '0',
    'queued', stamp)
  return stamp
end
