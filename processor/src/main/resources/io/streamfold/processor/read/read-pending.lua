-- Reads this consumer's own pending entries, as XREADGROUP with id 0 would, but without counting a delivery:
-- XREADGROUP raises an entry's delivery count each time it hands the entry out again, so re-reading one's own entries
-- after a restart or a failed read would push valid entries toward the dead-letter stream. XPENDING and XRANGE change
-- nothing (not even the idle time: a consumer that only re-reads and never commits is still taken over in time).
-- KEYS: 1 stream. ARGV: 1 group, 2 consumer, 3 the most entries to return.
-- Returns XREADGROUP's reply: {{stream, {{id, field names and values, or nil for an entry deleted since}, ...}}}, or
-- nil when none is pending.
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', ARGV[3], ARGV[2])
if #pending == 0 then
  return false
end
local entries = {}
for k = 1, #pending do
  local id = pending[k][1]
  local entry = redis.call('XRANGE', KEYS[1], id, id)[1]
  entries[k] = {id, entry and entry[2] or false}
end
return {{KEYS[1], entries}}
