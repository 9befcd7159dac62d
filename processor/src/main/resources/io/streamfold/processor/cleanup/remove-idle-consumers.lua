-- Removes the group's dead consumers: those idle for at least the threshold with no pending entries.
-- Check and delete happen in one script, so no consumer can read an entry between them: a consumer
-- is only ever deleted with nothing pending, and no entry is orphaned. Then removes the batch ledger's
-- entries of consumers no longer in the group (these, and any deleted otherwise): a consumer that
-- commits has read first, which makes it a member, so no live consumer's entry is removed. The stream
-- key carries the hash tag of every key (Cluster-safe).
--
-- KEYS: 1 stream, 2 batch ledger (hash: consumer -> id of its last committed batch)
-- ARGV: 1 group, 2 consumer never to remove (the caller's own), 3 minimum idle time (milliseconds)
-- Returns the names of the consumers removed; none when the stream or the group does not exist.
--
-- 'idle' is the time since the consumer's last attempted interaction (XREADGROUP, XCLAIM,
-- XAUTOCLAIM; an empty read counts), so a live consumer waiting on a quiet stream stays young.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local consumers = redis.pcall('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if type(consumers) == 'table' and consumers.err then
  if string.sub(consumers.err, 1, 7) == 'NOGROUP' then
    return {}
  end
  return redis.error_reply(consumers.err)
end

local own, minIdle = ARGV[2], tonumber(ARGV[3])
local removed, members = {}, {}
for _, fields in ipairs(consumers) do
  local consumer = {}
  for i = 1, #fields, 2 do
    consumer[fields[i]] = fields[i + 1]
  end
  if consumer.name ~= own and consumer.pending == 0 and consumer.idle >= minIdle then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], consumer.name)
    removed[#removed + 1] = consumer.name
  else
    members[consumer.name] = true
  end
end

local ledger = redis.call('HGETALL', KEYS[2]) -- consumer, batch id, ...: a field per consumer that ever committed
for i = 1, #ledger, 2 do
  if not members[ledger[i]] then
    redis.call('HDEL', KEYS[2], ledger[i])
  end
end
return removed
