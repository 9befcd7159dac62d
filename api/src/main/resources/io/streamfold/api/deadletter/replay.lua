-- Moves dead letters back onto the stream, atomically: each named dead letter's original fields (without the
-- dlq_* fields the processor added) are appended to the stream, and the dead letter is deleted.
-- KEYS: 1 stream, 2 dead-letter stream; ARGV: the dead letters' ids.
-- Returns, per id, the new entry id, or false when there is no such dead letter (or it kept no original field).
local replayed = {}
for k = 1, #ARGV do
  local letter = redis.call('XRANGE', KEYS[2], ARGV[k], ARGV[k])
  if #letter == 1 then
    local fields, original = letter[1][2], {}
    for f = 1, #fields, 2 do
      if string.sub(fields[f], 1, 4) ~= 'dlq_' then
        original[#original + 1] = fields[f]
        original[#original + 1] = fields[f + 1]
      end
    end
    if #original > 0 then
      replayed[k] = redis.call('XADD', KEYS[1], '*', unpack(original))
      redis.call('XDEL', KEYS[2], ARGV[k])
    else
      replayed[k] = false
    end
  else
    replayed[k] = false
  end
end
return replayed
