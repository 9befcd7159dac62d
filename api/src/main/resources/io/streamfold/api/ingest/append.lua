-- Appends a request's events to the stream, at most once per idempotency key.
-- KEYS: 1 stream, 2 idempotency record ('' when the request has no Idempotency-Key)
-- ARGV: 1 idempotency TTL (seconds), 2 digest of the request body, 3 number of events,
--       then per event: number of field names and values, then the names and values.
-- Returns {'appended', ids...}, {'replayed', ids...} (the same key and body came before: nothing appended),
-- or {'conflict'} (the same key came before with another body: nothing appended).
-- The idempotency record is '<body digest> <ids...>'; StreamAppender.lookUp reads it too, before the body is
-- validated, and this script checks it again, atomically, for a request with the same key that came in between.
if KEYS[2] ~= '' then
  local earlier = redis.call('GET', KEYS[2])
  if earlier then
    local digest, ids = string.match(earlier, '^(%S+) ?(.*)$')
    if digest ~= ARGV[2] then
      return {'conflict'}
    end
    local reply = {'replayed'}
    for id in string.gmatch(ids, '%S+') do
      reply[#reply + 1] = id
    end
    return reply
  end
end
local reply = {'appended'}
local i = 4
for _ = 1, tonumber(ARGV[3]) do
  local n = tonumber(ARGV[i])
  reply[#reply + 1] = redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
  i = i + 1 + n
end
if KEYS[2] ~= '' then
  redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. table.concat(reply, ' ', 2), 'EX', ARGV[1])
end
return reply
