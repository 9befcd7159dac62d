-- Commits one batch atomically and at most once: aggregate deltas, dead letters and the XACK of
-- every entry, guarded by the batch's ledger entry. All keys share one hash tag (Cluster-safe).
--
-- KEYS: 1 stream, 2 ledger entry of this batch, 3 dead-letter stream, 4 totals hash,
--       then for dimension i (0-based): 5+2i count hash, 6+2i sum hash
-- ARGV: 1 group, 2 ledger ttl (seconds), 3 consumer, 4 commit time (epoch ms), 5 dead-letter stream max length,
--       6 the entry ids, separated by single spaces (one argument: far cheaper to send than one per id);
--       then total count, total sum;
--       then per dimension: number of cells, then value, count, sum of each cell;
--       then number of dead letters, then per dead letter: entry id, reason, detail, delivery count,
--       number of field names and values, then the names and values.
-- Returns {1} when applied; {0} when this batch id was committed before (a retried commit: the entries are
-- acknowledged again, nothing else changes); {2, ids...}
-- when some entries are no longer pending for this consumer (another consumer reclaimed them, or
-- the group was recreated): nothing is applied, and the ids still owned are returned so the
-- caller commits just those.

local group, consumer, now, dlqMax = ARGV[1], ARGV[3], ARGV[4], ARGV[5]
local ids = {}
for id in string.gmatch(ARGV[6], '[^ ]+') do
  ids[#ids + 1] = id
end
local i = 7

local function ack()
  for from = 1, #ids, 1000 do
    redis.call('XACK', KEYS[1], group, unpack(ids, from, math.min(from + 999, #ids)))
  end
end

-- Applied before: acknowledge again (a no-op after a retry; after the group was recreated and replayed
-- these entries, it releases them instead of leaving them pending for ever) and change nothing else.
if redis.call('EXISTS', KEYS[2]) == 1 then
  ack()
  return {0}
end

-- Only entries still pending for this consumer may be applied; a missing group fails here, before any write.
-- Ids come in stream order, so one ranged XPENDING over [first, last] finds them all (the range may also hold
-- other entries of this consumer; if the reply was cut at its limit, ids not in it are looked up one by one).
local owned = {}
if #ids > 0 then
  local limit = 2 * #ids
  local pending = redis.call('XPENDING', KEYS[1], group, ids[1], ids[#ids], limit, consumer)
  local mine = {}
  for k = 1, #pending do
    mine[pending[k][1]] = true
  end
  for k = 1, #ids do
    local id = ids[k]
    if mine[id] or (#pending == limit and #redis.call('XPENDING', KEYS[1], group, id, id, 1, consumer) == 1) then
      owned[#owned + 1] = id
    end
  end
end
if #owned < #ids then
  return {2, unpack(owned)}
end

ack()

local count, sum = ARGV[i], ARGV[i + 1]
i = i + 2
if count ~= '0' then
  redis.call('HINCRBY', KEYS[4], 'count', count)
  redis.call('HINCRBY', KEYS[4], 'sum', sum)
end

local dimensionKeys = #KEYS - 4
for d = 0, dimensionKeys / 2 - 1 do
  local countKey, sumKey = KEYS[5 + 2 * d], KEYS[6 + 2 * d]
  local cells = tonumber(ARGV[i])
  i = i + 1
  for _ = 1, cells do
    redis.call('HINCRBY', countKey, ARGV[i], ARGV[i + 1])
    redis.call('HINCRBY', sumKey, ARGV[i], ARGV[i + 2])
    i = i + 3
  end
end

local deadLetters = tonumber(ARGV[i])
i = i + 1
for _ = 1, deadLetters do
  local entryId, reason, detail, deliveries, n = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
  local fields = {}
  for k = 1, n do
    fields[k] = ARGV[i + 4 + k]
  end
  i = i + 5 + n
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', dlqMax, '*', 'dlq_reason', reason, 'dlq_detail', detail,
      'dlq_entry_id', entryId, 'dlq_consumer', consumer, 'dlq_deliveries', deliveries, 'dlq_at', now, unpack(fields))
end

redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
return {1}
