-- Trims the stream of the entries every consumer group is done with: those before each group's oldest pending
-- entry and up to its last delivered one, so nothing a group has yet to read or to acknowledge is removed, whoever
-- reads it (another group than the processors' included). A stream without groups is left as it is: the group to be
-- created would read it from the start. Computing the bound and trimming happen in one script, so no read or
-- acknowledgement can move in between.
--
-- KEYS: 1 stream
-- ARGV: 1 least age of an entry to be trimmed, in milliseconds of Redis's clock by the time in its id (0: none),
--       2 most entries to trim (XTRIM LIMIT)
-- Returns {entries trimmed, the id from which entries are kept} or {0} when nothing may be trimmed.
--
-- Trimming is approximate (MINID ~): Redis removes whole nodes of the stream below the bound, never an entry at or
-- after it, so a few entries before the bound stay until the next pass; cheaper than trimming to the entry.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then
  return {0}
end

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return {tonumber(ms), tonumber(seq), id}
end

local function before(a, b)
  return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2])
end

local keepFrom
for _, fields in ipairs(groups) do
  local group = {}
  for i = 1, #fields, 2 do
    group[fields[i]] = fields[i + 1]
  end
  -- entries up to the last delivered one were read; of those, the ones still pending must stay
  local bound = parse(group['last-delivered-id'])
  if group.pending > 0 then
    local oldestPending = parse(redis.call('XPENDING', KEYS[1], group.name)[2])
    if before(oldestPending, bound) then
      bound = oldestPending
    end
  end
  if not keepFrom or before(bound, keepFrom) then
    keepFrom = bound
  end
end

local minAge = tonumber(ARGV[1])
if minAge > 0 then
  local time = redis.call('TIME')
  local youngest = {math.floor(tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000) - minAge, 0}
  youngest[3] = string.format('%d-0', youngest[1])
  if before(youngest, keepFrom) then
    keepFrom = youngest
  end
end
if keepFrom[1] == 0 and keepFrom[2] == 0 then
  return {0}
end
return {redis.call('XTRIM', KEYS[1], 'MINID', '~', keepFrom[3], 'LIMIT', ARGV[2]), keepFrom[3]}
