-- Keeps a batch's entries with their consumer while its commit is retried: resets the idle time of those still pending
-- for it (XCLAIM JUSTID, which counts no delivery), so that no other processor takes them over (XAUTOCLAIM after its
-- min-idle time) and back again, each take-over one more delivery toward the dead-letter stream. Entries another
-- consumer owns by now are left to it, and entries deleted from the stream are left alone (XCLAIM would drop them from
-- the pending list, and the commit would then take them for taken over).
-- KEYS: 1 stream. ARGV: 1 group, 2 consumer, 3 the entry ids, separated by single spaces.
-- Returns {how many entries it kept}.
local stream, group, consumer = KEYS[1], ARGV[1], ARGV[2]
local kept = {}
for id in string.gmatch(ARGV[3], '[^ ]+') do
  if #redis.call('XPENDING', stream, group, id, id, 1, consumer) == 1 and #redis.call('XRANGE', stream, id, id) == 1 then
    kept[#kept + 1] = id
  end
end
for from = 1, #kept, 1000 do -- Lua's stack holds only about 8,000 values
  local args = {stream, group, consumer, 0}
  for k = from, math.min(from + 999, #kept) do
    args[#args + 1] = kept[k]
  end
  args[#args + 1] = 'JUSTID'
  redis.call('XCLAIM', unpack(args))
end
return {#kept}
