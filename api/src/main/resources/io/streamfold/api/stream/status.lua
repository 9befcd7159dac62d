-- The stream's state in one read-only step: length, first and last entry id, dead letters, XINFO GROUPS
-- with XINFO CONSUMERS of each group, and how far the commits have settled minutes into the all-time keys.
-- KEYS: 1 stream, 2 dead-letter stream
-- Returns {length, first id or false, last id or false, dead letters, groups, consumers of each group,
--   last settled minute or false, number of unsettled minutes, the oldest of them or false, why settling was
--   refused or false} (the settle keys as io.streamfold.contract.KeyLayout documents them).
local length = redis.call('XLEN', KEYS[1])
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local groups, consumers = {}, {}
if redis.call('EXISTS', KEYS[1]) == 1 then
  groups = redis.call('XINFO', 'GROUPS', KEYS[1])
  for g = 1, #groups do
    local fields = groups[g]
    for f = 1, #fields, 2 do
      if fields[f] == 'name' then
        consumers[g] = redis.call('XINFO', 'CONSUMERS', KEYS[1], fields[f + 1])
      end
    end
  end
end
local unsettled = KEYS[1] .. ':settle:minutes'
return {length, first[1] and first[1][1] or false, last[1] and last[1][1] or false, redis.call('XLEN', KEYS[2]),
    groups, consumers, redis.call('GET', KEYS[1] .. ':settle:through'), redis.call('ZCARD', unsettled),
    redis.call('ZRANGE', unsettled, 0, 0)[1] or false, redis.call('GET', KEYS[1] .. ':settle:refused')}
