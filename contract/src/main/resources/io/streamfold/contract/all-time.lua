-- Reads all-time aggregates in one atomic step: the all-time hashes asked for, and the minute bins and minute
-- histograms of every minute not yet settled (added to the all-time keys, which the commit script does once a minute
-- is over), so that no minute can be settled between the reads and count twice or not at all.
-- Read-only; io.streamfold.contract.AllTimeQuery builds the arguments and adds the minutes to the hashes.
--
-- KEYS: 1 stream
-- ARGV: 1 '1' when the minutes' bins are wanted, else '0'; 2 number n of all-time hashes; their n names;
--       then the suffixes of the minute histograms wanted ('' for all values, ':<dimension>:<value>' for one value)
-- Returns {the unsettled minutes, then the n hashes, then per minute: its bin when wanted, then its histograms in
-- the order of the suffixes}, every hash as HGETALL returns it.

local prefix = KEYS[1]
local minutes = redis.call('ZRANGE', prefix .. ':settle:minutes', 0, -1)
local reply = {minutes}
local hashes = tonumber(ARGV[2])
for k = 1, hashes do
  reply[#reply + 1] = redis.call('HGETALL', ARGV[2 + k])
end
for _, minute in ipairs(minutes) do
  if ARGV[1] == '1' then
    reply[#reply + 1] = redis.call('HGETALL', prefix .. ':bin:' .. minute)
  end
  for k = 3 + hashes, #ARGV do
    reply[#reply + 1] = redis.call('HGETALL', prefix .. ':binhist:' .. minute .. ARGV[k])
  end
end
return reply
