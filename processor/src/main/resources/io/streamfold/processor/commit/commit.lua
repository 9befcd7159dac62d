-- Commits one batch atomically and at most once: aggregate deltas, unique users, sessions, dead letters and
-- the XACK of every entry, guarded by the ledger, which holds the id of the last batch each consumer committed (a
-- retry is always of its consumer's last batch: a consumer has one commit in flight at a time). Every key the script
-- writes starts with KEYS[1], the stream's name in braces, so all of them hash to the stream's Redis Cluster slot; the
-- aggregate keys are derived from it as io.streamfold.contract.KeyLayout documents.
--
-- KEYS: 1 stream, 2 ledger (hash: consumer -> id of its last committed batch), 3 dead-letter stream, 4 scratch key
--       for merging users
-- ARGV: 1 group, 2 batch id, 3 consumer, 4 commit time (epoch ms), 5 dead-letter stream max length,
--       6 the entry ids, separated by single spaces (one argument: far cheaper to send than one per id),
--       7 retention (seconds), 8 session gap (seconds), 9 most distinct values per dimension, 10 minutes after
--       Redis's clock up to which a store written before minutes were settled keeps every minute as it is (see Settling);
--       then the number of sessions, then per session: id, its summary in this batch (see mergeSessions);
--       then per dimension: its name, the number n of values the batch touched, those n values;
--       then the number of cells, then per cell: epoch minute, dimension index (0-based; -1 for the grand total),
--       value number in that dimension's list (1-based; 0 for the total), count, sum, min, max, histogram as
--       'bucket count bucket count ...';
--       then the number of hours with users, then per hour: epoch hour, then either 'ids', their number n and
--       the n user ids, or 'registers' and the hour's users as a dense HyperLogLog (Redis's own encoding, so
--       merging it leaves exactly the registers PFADD of each user would);
--       then number of dead letters, then per dead letter: entry id, reason, detail, delivery count,
--       number of field names and values (at most 1,000), then the names and values.
-- Returns {1, folded events of dimension 1, ..., [why settling was refused]} when applied (folded: events whose value
-- was beyond the dimension's limit and counted as '__other__'; the last element only when a minute could not be settled,
-- see Settling); {0} when this batch is the consumer's last committed one (a retried commit: the entries are
-- acknowledged again, nothing else changes); {2, ids...} when some entries are no longer pending for this consumer
-- (another consumer reclaimed them, the group was recreated, or this is a late copy of a batch the consumer committed
-- before its last one, delayed past that batch by a lost connection): nothing is applied, and the ids still owned are
-- returned so the caller commits just those. While the group lives, the ownership check alone keeps a batch from
-- being applied twice; the ledger tells the consumer's own retry from a takeover. Anything else is an error reply, and
-- then nothing was written: every write that could fail is checked before the first one, or taken back should it
-- fail (the bins, see writeBin), and the entries are acknowledged last of all.

local group, batchId, consumer, now, dlqMax = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local packedIds = ARGV[6]
local ids = {}
local i

-- The ids as a list, split from the packed argument (only where the ownership check below did not build it).
local function parseIds()
  local parsed = {}
  for id in string.gmatch(packedIds, '[^ ]+') do
    parsed[#parsed + 1] = id
  end
  return parsed
end

local function ack()
  for from = 1, #ids, 1000 do
    redis.call('XACK', KEYS[1], group, unpack(ids, from, math.min(from + 999, #ids)))
  end
end

-- This consumer's last batch, applied before: acknowledge again (a no-op after a retry) and change nothing else.
if redis.call('HGET', KEYS[2], consumer) == batchId then
  ids = parseIds()
  ack()
  return {0}
end

-- Only entries still pending for this consumer may be applied; a missing group fails here, before any write.
-- Ids come in stream order, so one ranged XPENDING over [first, last] finds them all. Usually it returns exactly
-- the batch's ids, which is checked by comparing them, joined, with the packed argument. Otherwise (the range
-- also holds other entries of this consumer, or some of the batch's are no longer its own), each id is looked
-- up in the reply, or on its own if the reply was cut at its limit.
local owned = {}
if packedIds ~= '' then
  local last = #packedIds
  while last > 1 and string.byte(packedIds, last - 1) ~= 32 do
    last = last - 1
  end
  local limit = #packedIds -- more than the batch has ids
  local pending = redis.call('XPENDING', KEYS[1], group, string.match(packedIds, '^[^ ]+'),
    string.sub(packedIds, last), limit, consumer)
  for k = 1, #pending do
    ids[k] = pending[k][1]
  end
  if table.concat(ids, ' ') == packedIds then
    owned = ids
  else
    local mine = {}
    for k = 1, #pending do
      mine[pending[k][1]] = true
    end
    ids = parseIds()
    for k = 1, #ids do
      local id = ids[k]
      if mine[id] or (#pending == limit and #redis.call('XPENDING', KEYS[1], group, id, id, 1, consumer) == 1) then
        owned[#owned + 1] = id
      end
    end
  end
end
if #owned < #ids then
  local reply = {2}
  for k = 1, #owned do
    reply[k + 1] = owned[k] -- not unpack(owned): Lua's stack holds only about 8,000 values
  end
  return reply
end

-- Redis does not undo a script's writes when a later command fails. So every command this script may write with
-- (or run after its first write) is checked against the caller's ACL first (the rest of what could fail is checked
-- before the first write too, see Checks): a least-privilege user missing one fails
-- the commit here, with nothing applied and the entries still pending, rather than half-way through.
local prefix = KEYS[1]
for _, call in ipairs({{'XACK', KEYS[1], group, '0-1'}, {'HLEN', prefix .. ':agg:count:d'},
  {'HEXISTS', prefix .. ':agg:count:d', 'v'}, {'HMGET', prefix .. ':agg:count:d', 'v'},
  {'HINCRBY', prefix .. ':bin:0', 'f', '1'}, {'HSET', prefix .. ':bin:0', 'f', '1'},
  {'EXPIREAT', prefix .. ':bin:0', '0'}, {'PFADD', prefix .. ':uniq:hour:0', 'u'}, {'SET', KEYS[4], 'v'},
  {'PFMERGE', prefix .. ':uniq:day:0', KEYS[4]}, {'DEL', KEYS[4]}, {'TIME'}, {'SET', prefix .. ':sessions:window', '0'},
  {'XADD', KEYS[3], 'MAXLEN', '~', '1', '*', 'f', 'v'}, {'HSET', KEYS[2], consumer, batchId},
  {'GET', prefix .. ':settle:through'}, {'ZRANGE', prefix .. ':settle:minutes', '0', '1'},
  {'ZADD', prefix .. ':settle:minutes', '1', '1'}, {'ZREM', prefix .. ':settle:minutes', '1'},
  {'HGETALL', prefix .. ':bin:0'}, {'EXISTS', prefix .. ':settle:refused'}, {'TYPE', KEYS[2]},
  {'GETRANGE', prefix .. ':uniq:hour:0', '0', '3'}}) do
  if not redis.acl_check_cmd(unpack(call)) then
    return redis.error_reply('NOPERM this user may not run ' .. call[1] .. ' on ' .. (call[2] or 'the server')
      .. ', which the commit needs (see docs/operations.md for the processor\'s ACL); nothing was applied')
  end
end

local retention, gap, limit = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local OTHER = '__other__'
local clock = tonumber(redis.call('TIME')[1])
i = 11

-- A read that answers an error (a key of another type) as nil and the error instead of failing the script.
local function read(...)
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    return nil, reply.err
  end
  return reply
end

-- HMGET and HSET of any number of fields, at most 1,000 a call (Lua's stack holds only about 8,000 values). An HMGET
-- made with `call` = read answers a failed read as nil and the error.
local function hmget(key, fields, call)
  local values = {}
  for from = 1, #fields, 1000 do
    local found, err = (call or redis.call)('HMGET', key, unpack(fields, from, math.min(from + 999, #fields)))
    if not found then
      return nil, err
    end
    for k = 1, #found do
      values[from + k - 1] = found[k]
    end
  end
  return values
end

local function hset(key, fieldsAndValues)
  for from = 1, #fieldsAndValues, 1000 do
    redis.call('HSET', key, unpack(fieldsAndValues, from, math.min(from + 999, #fieldsAndValues)))
  end
end

-- Two session summaries as one: counts and sums added, the earlier first, the later last. A summary is five
-- little-endian doubles (io.streamfold.contract.SessionSummary): events, the sum's high and low halves
-- (sum = high * 2^32 + low, 0 <= low < 2^32), first, last; every one an integer a double holds exactly.
local TWO_32, SUMMARY_BYTES = 4294967296, 40
local function mergeSessions(stored, delta)
  local events, high, low, first, last = struct.unpack('<ddddd', stored)
  local addEvents, addHigh, addLow, addFirst, addLast = struct.unpack('<ddddd', delta)
  low = low + addLow
  if low >= TWO_32 then
    low, high = low - TWO_32, high + 1
  end
  return struct.pack('<ddddd', events + addEvents, high + addHigh, low, math.min(first, addFirst), math.max(last, addLast))
end

-- Sessions: one hash per window of `gap` seconds of Redis's clock, session id -> its summary. A session's summary is
-- taken from the current window's hash, else the previous one's, merged with the batch's and written to the current
-- window's hash, which expires two windows after it starts: a session lasts from gap to twice the gap after its last
-- commit. Two HMGETs and one HSET per batch, not a key (and five calls) per session. Read and merged here, before
-- the first write, so that a stored value that is no summary (written by hand, or by a build with another format)
-- fails the commit with nothing applied, naming it, rather than half-way through; written after the cells.
local sessions = tonumber(ARGV[i])
local sessionWindow, sessionFields
i = i + 1
if sessions > 0 then
  sessionWindow = math.floor(clock / gap)
  local current, previous = prefix .. ':sessions:' .. sessionWindow, prefix .. ':sessions:' .. (sessionWindow - 1)
  local sessionIds = {}
  for k = 1, sessions do
    sessionIds[k] = ARGV[i + 2 * k - 2]
  end
  local stored = hmget(current, sessionIds)
  local missing, names = {}, {}
  for k = 1, sessions do
    if not stored[k] then
      missing[#missing + 1] = k
      names[#names + 1] = sessionIds[k]
    end
  end
  local found = hmget(previous, names)
  for m = 1, #missing do
    stored[missing[m]] = found[m]
  end
  sessionFields = {}
  for k = 1, sessions do
    local summary = ARGV[i + 2 * k - 1]
    if stored[k] then
      if #stored[k] ~= SUMMARY_BYTES then
        return redis.error_reply('ERR session ' .. sessionIds[k] .. ' in ' .. current .. ' or ' .. previous .. ' holds '
          .. #stored[k] .. ' bytes, not a summary of ' .. SUMMARY_BYTES .. ' (io.streamfold.contract.SessionSummary); '
          .. 'nothing was applied')
      end
      summary = mergeSessions(stored[k], summary)
    end
    sessionFields[#sessionFields + 1] = sessionIds[k]
    sessionFields[#sessionFields + 1] = summary
  end
  i = i + 2 * sessions
end

-- Settling: a minute's cells go to its bin only, and once the minute is over the whole bin is added to the all-time
-- keys in one step (the minute is settled), instead of every batch writing each cell twice (its minute's and all
-- time's). The minutes up to `through` are settled: a cell of such a minute (a late event) is written to both. The
-- later minutes written to are in the `unsettled` sorted set; readers add their bins to the all-time keys
-- (io.streamfold.contract.AllTimeQuery, one atomic read). Each commit settles at most SETTLE_MINUTES_PER_COMMIT minutes
-- that ended two minutes or more ago (Redis's clock), then moves `through` up to just before the first minute still
-- unsettled. A store without `through` starts it two minutes back, or, where all-time keys exist already (written by
-- a build that wrote every cell twice), ARGV[10] minutes ahead, past any minute such a build may still write while it
-- is being replaced, so that no minute is added twice; where minutes are unsettled (the mark was deleted), just before
-- the first of them.
local SETTLE_MINUTES_PER_COMMIT = 4
local throughKey, unsettledKey = prefix .. ':settle:through', prefix .. ':settle:minutes'

-- Redis does not undo a script's writes when a command fails half-way: a batch applied in part is lost in part (its
-- entries are acknowledged, its ledger entry never written), and a settling that failed after adding some fields would
-- add them again at the next commit's try. So the new dimension values and a batch's late cells (see Cells), and a
-- minute being settled, are collected as changes to hash fields first, every field they touch is read and checked, and
-- only then is anything written. A change adds a decimal integer to a field ('add') or replaces it where the number is
-- lower / higher ('min' / 'max'); a field missing counts as 0 / is set. Changes of one field are combined.

-- A decimal integer as Redis writes one and HINCRBY reads one: no sign on 0, no leading zeros (its magnitude is
-- checked when it is added to).
local function isInteger(text)
  return type(text) == 'string' and #text <= 20 and (text == '0' or string.find(text, '^-?[1-9]%d*$') ~= nil)
end

-- Whether an add stays within HINCRBY's 64-bit range: doubles round such magnitudes by at most 1,024, so a sum of
-- magnitudes below SUM_BOUND (76,000 short of 2^63) certainly fits; one above it is refused even if it would just fit.
local SUM_BOUND = 9.2233720368547e18

local function newChanges()
  return {keys = {}, byKey = {}}
end

-- `text` is a decimal integer (the caller checks one it did not make itself). For 'add', `numbers` holds the sum of
-- the magnitudes added (for the range check) and `texts` the text added, or a list of them where there are several.
local function change(changes, key, field, op, text)
  local entry = changes.byKey[key]
  if not entry then
    entry = {fields = {}, ops = {}, numbers = {}, texts = {}, at = {}}
    changes.byKey[key] = entry
    changes.keys[#changes.keys + 1] = key
  end
  local n, number = entry.at[field], tonumber(text)
  if op == 'add' then
    number = math.abs(number)
  end
  if not n then
    n = #entry.fields + 1
    entry.at[field] = n
    entry.fields[n], entry.ops[n], entry.numbers[n], entry.texts[n] = field, op, number, text
  elseif op == 'add' then
    entry.numbers[n] = entry.numbers[n] + number
    local texts = entry.texts[n]
    if type(texts) == 'string' then
      texts = {texts}
      entry.texts[n] = texts
    end
    texts[#texts + 1] = text
  elseif (op == 'min' and number < entry.numbers[n]) or (op == 'max' and number > entry.numbers[n]) then
    entry.numbers[n], entry.texts[n] = number, text
  end
end

-- Reads every field the changes touch (one HMGET per key) and works out what to write. Returns nil, or what prevents
-- a change (a key of another type, a stored value that is no integer, a sum beyond 64 bits): nothing is written then.
local function check(changes)
  for _, key in ipairs(changes.keys) do
    local entry = changes.byKey[key]
    local current, err = hmget(key, entry.fields, read)
    if not current then
      return key .. ': ' .. err
    end
    local sets = {}
    for n = 1, #entry.fields do
      local op, value = entry.ops[n], current[n]
      if value and not isInteger(value) then
        return key .. ' field ' .. entry.fields[n] .. ' holds ' .. value .. ', not an integer'
      end
      if op == 'add' then
        if (value and math.abs(tonumber(value)) or 0) + entry.numbers[n] >= SUM_BOUND then
          local texts = entry.texts[n]
          return 'adding ' .. (type(texts) == 'table' and table.concat(texts, ' + ') or texts) .. ' to ' .. key
            .. ' field ' .. entry.fields[n] .. ' (' .. (value or 'absent') .. ') would pass the 64-bit range of Redis integers'
        end
      elseif not value or (op == 'min' and entry.numbers[n] < tonumber(value))
          or (op == 'max' and entry.numbers[n] > tonumber(value)) then
        sets[#sets + 1] = entry.fields[n]
        sets[#sets + 1] = entry.texts[n]
      end
    end
    entry.sets = sets
  end
end

-- Writes the changes `check` found possible: each key's replaced minimums and maximums in one HSET, then the adds.
local function write(changes)
  for _, key in ipairs(changes.keys) do
    local entry = changes.byKey[key]
    if #entry.sets > 0 then
      hset(key, entry.sets)
    end
    for n = 1, #entry.fields do
      if entry.ops[n] == 'add' then
        local texts = entry.texts[n]
        if type(texts) == 'string' then
          redis.call('HINCRBY', key, entry.fields[n], texts)
        else
          for _, text in ipairs(texts) do
            redis.call('HINCRBY', key, entry.fields[n], text)
          end
        end
      end
    end
  end
end

-- Adds a finished minute's bin and histograms to the all-time keys, which then expire `retention` after the minute.
-- Returns nil once done, or what prevents it (nothing is written then).
local function settleMinute(minute)
  local bin, expireAt = prefix .. ':bin:' .. minute, (tonumber(minute) + 1) * 60 + retention
  local changes, histograms = newChanges(), {}
  local binFields, err = read('HGETALL', bin)
  if not binFields then
    return bin .. ': ' .. err
  end
  for f = 1, #binFields, 2 do
    local field, number = binFields[f], binFields[f + 1]
    if not isInteger(number) then
      return bin .. ' field ' .. field .. ' holds ' .. number .. ', not an integer'
    end
    local stat, name, value = string.match(field, '^(%a+):([^:]+):(.*)$')
    local key, cell, allTimeHistogram
    if stat then
      cell = ':' .. name .. ':' .. value
      key, allTimeHistogram = prefix .. ':agg:' .. stat .. ':' .. name, prefix .. ':hist' .. cell
    else
      stat, key, cell, allTimeHistogram, value = field, prefix .. ':agg:total', '', prefix .. ':hist', field
    end
    change(changes, key, value, (stat == 'min' or stat == 'max') and stat or 'add', number)
    if stat == 'count' then
      local histogram = prefix .. ':binhist:' .. minute .. cell
      local buckets, bucketsErr = read('HGETALL', histogram)
      if not buckets then
        return histogram .. ': ' .. bucketsErr
      end
      for b = 1, #buckets, 2 do
        if not isInteger(buckets[b + 1]) then
          return histogram .. ' bucket ' .. buckets[b] .. ' holds ' .. buckets[b + 1] .. ', not an integer'
        end
        change(changes, allTimeHistogram, buckets[b], 'add', buckets[b + 1])
      end
      histograms[#histograms + 1] = histogram
    end
  end
  local problem = check(changes)
  if problem then
    return problem
  end
  write(changes)
  for _, histogram in ipairs(histograms) do
    redis.call('EXPIREAT', histogram, expireAt)
  end
  redis.call('EXPIREAT', bin, expireAt)
end

local nowMinute = math.floor(clock / 60)
local through = tonumber(redis.call('GET', throughKey))
local throughWasMissing = not through
if throughWasMissing then
  local firstUnsettled = redis.call('ZRANGE', unsettledKey, 0, 0)[1]
  if firstUnsettled then -- the mark was lost (deleted by hand): below the first unsettled minute is all that is safe
    through = tonumber(firstUnsettled) - 1
  elseif redis.call('EXISTS', prefix .. ':agg:total') == 1 then
    through = nowMinute + tonumber(ARGV[10])
  else
    through = nowMinute - 2
  end
end

-- Dimension values, each checked once against the dimension's limit: a value never seen before is kept
-- while the dimension holds fewer than `limit` values, else counted as OTHER, the same on every processor. A value
-- kept is entered in the all-time count hash at once (count 0 until its minute is settled), so the next batch knows it.
local changes = newChanges()
local dimensions = {}
local dimensionCount = tonumber(ARGV[i])
i = i + 1
for d = 1, dimensionCount do
  local name, n = ARGV[i], tonumber(ARGV[i + 1])
  local countKey = prefix .. ':agg:count:' .. name
  local known = redis.call('HLEN', countKey) - redis.call('HEXISTS', countKey, OTHER)
  local values, folded = {}, {}
  for k = 1, n do
    values[k] = ARGV[i + 1 + k]
  end
  i = i + 2 + n
  local seen = hmget(countKey, values)
  for k = 1, n do
    if values[k] ~= OTHER and not seen[k] then
      if known < limit then
        known = known + 1
        change(changes, countKey, values[k], 'add', '0')
      else
        values[k], folded[k] = OTHER, true
      end
    end
  end
  dimensions[d] = {name = name, values = values, folded = folded, foldedEvents = 0}
end

-- Cells: each added to its minute's bin (fields 'count', 'sum', 'min', 'max' for the total, '<stat>:<dimension>:<value>'
-- per dimension value; a histogram hash per cell), and, where the minute is settled already (a late event), to the
-- all-time keys too (the per-dimension hashes and the totals hash; a histogram per dimension value). Settled minutes'
-- keys expire `retention` after their minute ends; the others once they are settled. A late cell's all-time changes
-- are changes (see above), checked before the first write; its bin is written as `writeBin` says.

-- A late cell's changes to the all-time keys.
local function changeAllTime(name, value, count, sum, min, max, buckets)
  local histogram = prefix .. ':hist'
  if name then
    histogram = histogram .. ':' .. name .. ':' .. value
    change(changes, prefix .. ':agg:count:' .. name, value, 'add', count)
    change(changes, prefix .. ':agg:sum:' .. name, value, 'add', sum)
    change(changes, prefix .. ':agg:min:' .. name, value, 'min', min)
    change(changes, prefix .. ':agg:max:' .. name, value, 'max', max)
  else
    local totals = prefix .. ':agg:total'
    change(changes, totals, 'count', 'add', count)
    change(changes, totals, 'sum', 'add', sum)
    change(changes, totals, 'min', 'min', min)
    change(changes, totals, 'max', 'max', max)
  end
  for bucket, n in string.gmatch(buckets, '(%S+) (%S+)') do
    change(changes, histogram, bucket, 'add', n)
  end
end

-- Where the cells are: ARGV[first + 8 * (c - 1)] on, 8 arguments per cell (see the top of this script).
local cells = tonumber(ARGV[i])
local firstCell = i + 1
i = firstCell + 8 * cells
local function cell(c)
  local at = firstCell + 8 * (c - 1)
  local d, k, name, value = tonumber(ARGV[at + 1]) + 1, tonumber(ARGV[at + 2]), nil, nil
  if d > 0 then
    name, value = dimensions[d].name, dimensions[d].values[k]
  end
  return ARGV[at], d, k, name, value, ARGV[at + 3], ARGV[at + 4], ARGV[at + 5], ARGV[at + 6], ARGV[at + 7]
end

-- The bins, the hot path of every commit, are written first of all, each write that could fail by pcall: should one
-- fail (a key of another type or a field that is no integer, made by hand; a sum past 64 bits), the writes before it
-- are taken back and the commit is refused with nothing applied. Reading every bin field and bucket before writing
-- cost a third more script instructions per event (callgrind, batches of 100), and noting every write for taking back
-- a tenth; so `undo` notes, per cell written, only its number, how many of its writes were done (count, sum, minimum
-- and maximum, then each bucket), and the minimum and maximum it replaced (false: there was none). Taking back
-- cannot fail: each HINCRBY is undone by its opposite, and a count or bucket that comes back to 0 was created by this
-- commit (none leaves one at 0), so it is deleted, and so is the sum of a cell whose count was created.
local undo, undoLength = {}, 0

local function binKeys(minute, name, value)
  local suffix = name and (':' .. name .. ':' .. value) or ''
  return prefix .. ':bin:' .. minute, suffix, prefix .. ':binhist:' .. minute .. suffix
end

local function opposite(text)
  return string.sub(text, 1, 1) == '-' and string.sub(text, 2) or '-' .. text
end

-- Sets back a minimum or maximum a cell replaced: `before` is the value it had, false where it had none, nil where
-- the cell did not replace it.
local function restore(bin, field, before)
  if before == false then
    redis.call('HDEL', bin, field)
  elseif before then
    redis.call('HSET', bin, field, before)
  end
end

local function takeBack()
  for u = undoLength - 3, 1, -4 do
    local minute, _, _, name, value, count, sum, _, _, buckets = cell(undo[u])
    local written, minBefore, maxBefore = undo[u + 1], undo[u + 2], undo[u + 3]
    local bin, suffix, histogram = binKeys(minute, name, value)
    local w = 3
    for bucket, n in string.gmatch(buckets, '(%S+) (%S+)') do
      w = w + 1
      if w <= written and redis.call('HINCRBY', histogram, bucket, opposite(n)) == 0 then
        redis.call('HDEL', histogram, bucket)
      end
    end
    if written >= 3 then
      restore(bin, 'min' .. suffix, minBefore)
      restore(bin, 'max' .. suffix, maxBefore)
    end
    local countField, sumField = 'count' .. suffix, 'sum' .. suffix
    local cellCreated = written >= 1 and redis.call('HINCRBY', bin, countField, opposite(count)) == 0
    if cellCreated then
      redis.call('HDEL', bin, countField)
    end
    if written >= 2 then
      local back = sum == '0' and tonumber(redis.call('HGET', bin, sumField))
        or redis.call('HINCRBY', bin, sumField, opposite(sum))
      if cellCreated and back == 0 then
        redis.call('HDEL', bin, sumField)
      end
    end
  end
end

local function failed(key, field, reply)
  return key .. ' field ' .. field .. ': ' .. string.gsub(reply.err, '^ERR ', '')
end

-- Cell c's count and sum, its minimum and maximum where they move (one HMGET, at most one HSET), its histogram's
-- buckets. Returns nil, or what failed (its writes noted in `undo` for taking back).
local function writeBin(c)
  local minute, _, _, name, value, count, sum, min, max, buckets = cell(c)
  local bin, suffix, histogram = binKeys(minute, name, value)
  local at = undoLength + 1
  undoLength = undoLength + 4
  undo[at], undo[at + 1] = c, 0
  local reply = redis.pcall('HINCRBY', bin, 'count' .. suffix, count)
  if type(reply) == 'table' then
    return failed(bin, 'count' .. suffix, reply)
  end
  undo[at + 1] = 1
  reply = redis.pcall('HINCRBY', bin, 'sum' .. suffix, sum)
  if type(reply) == 'table' then
    return failed(bin, 'sum' .. suffix, reply)
  end
  undo[at + 1] = 2
  local minField, maxField = 'min' .. suffix, 'max' .. suffix
  local current = redis.call('HMGET', bin, minField, maxField)
  local storedMin, storedMax = tonumber(current[1]), tonumber(current[2])
  if current[1] and not storedMin then
    return bin .. ' field ' .. minField .. ' holds ' .. current[1] .. ', not an integer'
  elseif current[2] and not storedMax then
    return bin .. ' field ' .. maxField .. ' holds ' .. current[2] .. ', not an integer'
  end
  local isLower = not storedMin or tonumber(min) < storedMin
  local isHigher = not storedMax or tonumber(max) > storedMax
  if isLower and isHigher then
    redis.call('HSET', bin, minField, min, maxField, max)
  elseif isLower then
    redis.call('HSET', bin, minField, min)
  elseif isHigher then
    redis.call('HSET', bin, maxField, max)
  end
  if isLower then
    undo[at + 2] = current[1] or false
  end
  if isHigher then
    undo[at + 3] = current[2] or false
  end
  local written = 3
  undo[at + 1] = written
  for bucket, n in string.gmatch(buckets, '(%S+) (%S+)') do
    reply = redis.pcall('HINCRBY', histogram, bucket, n)
    if type(reply) == 'table' then
      return failed(histogram, bucket, reply)
    end
    written = written + 1
    undo[at + 1] = written
  end
end

local expiries, unsettled, unsettledMinutes = {}, {}, {}
for c = 1, cells do
  local minute, d, k, name, value, count, sum, min, max, buckets = cell(c)
  if d > 0 and dimensions[d].folded[k] then
    dimensions[d].foldedEvents = dimensions[d].foldedEvents + tonumber(count)
  end
  if tonumber(minute) <= through then
    changeAllTime(name, value, count, sum, min, max, buckets)
    local expireAt = (tonumber(minute) + 1) * 60 + retention
    local bin, _, histogram = binKeys(minute, name, value)
    expiries[bin] = expireAt
    expiries[histogram] = expireAt
  elseif not unsettled[minute] then
    unsettled[minute] = true
    unsettledMinutes[#unsettledMinutes + 1] = minute
  end
end

-- Unique users, decoded here and written below: per hour, its users' ids (PFADD) or their sketch (PFMERGE).
local hourCount = tonumber(ARGV[i])
i = i + 1
local hours = {}
for h = 1, hourCount do
  local hour = tonumber(ARGV[i])
  local entry = {hour = hour, day = math.floor(hour / 24)}
  if ARGV[i + 1] == 'ids' then
    local n = tonumber(ARGV[i + 2])
    entry.from, entry.to = i + 3, i + 2 + n
    i = i + 3 + n
  else
    entry.registers = ARGV[i + 2]
    i = i + 3
  end
  hours[h] = entry
end

-- Dead letters, decoded here and written below: where each one's arguments start (its entry id).
local deadLetterCount = tonumber(ARGV[i])
i = i + 1
local deadLetters = {}
for k = 1, deadLetterCount do
  deadLetters[k] = i
  i = i + 5 + tonumber(ARGV[i + 4])
end

-- Checks: what could fail once writing has begun, bins aside, looked at before the first write. A key of another type
-- than the one written to it (made by hand), a stored HyperLogLog that is none, a sum past 64 bits or a field that is
-- no integer (`check`) refuses the commit with nothing applied; the entries stay pending until it is mended.
local function wrongType(key, wanted)
  local actual = redis.call('TYPE', key).ok
  if actual ~= 'none' and actual ~= wanted then
    return key .. ' is a ' .. actual .. ', not a ' .. wanted
  end
end

local HLL_DENSE_BYTES = 12304 -- Redis's dense HyperLogLog: a 16-byte header and 16,384 registers of 6 bits
local function notASketch(key)
  local header, err = read('GETRANGE', key, 0, 3)
  if not header then
    return key .. ': ' .. err
  end
  if header ~= 'HYLL' and (header ~= '' or redis.call('EXISTS', key) == 1) then
    return key .. ' holds no HyperLogLog'
  end
end

local function refusal()
  local problem = wrongType(KEYS[2], 'hash') or wrongType(unsettledKey, 'zset')
      or (#deadLetters > 0 and wrongType(KEYS[3], 'stream')) or nil
  if problem then
    return problem
  end
  for _, h in ipairs(hours) do
    problem = notASketch(prefix .. ':uniq:hour:' .. h.hour) or notASketch(prefix .. ':uniq:day:' .. h.day)
    if problem then
      return problem
    end
    if h.registers and (#h.registers ~= HLL_DENSE_BYTES or string.sub(h.registers, 1, 4) ~= 'HYLL') then
      return 'the users of hour ' .. h.hour .. ' are no dense HyperLogLog of ' .. HLL_DENSE_BYTES .. ' bytes'
    end
  end
  return check(changes)
end

local function refuse(problem)
  return redis.error_reply('ERR ' .. problem .. '; nothing was applied, and the entries stay pending until that is mended')
end

local problem = refusal()
if problem then
  return refuse(problem)
end

-- The writes: the bins first (taken back should one fail, see writeBin); nothing can fail after them, and the entries
-- are acknowledged last of all.
for c = 1, cells do
  problem = writeBin(c)
  if problem then
    takeBack()
    return refuse(problem)
  end
end
if throughWasMissing then
  redis.call('SET', throughKey, through)
end
write(changes)
for key, at in pairs(expiries) do
  redis.call('EXPIREAT', key, at)
end
for from = 1, #unsettledMinutes, 500 do
  local scoresAndMembers = {}
  for m = from, math.min(from + 499, #unsettledMinutes) do
    scoresAndMembers[#scoresAndMembers + 1] = unsettledMinutes[m]
    scoresAndMembers[#scoresAndMembers + 1] = unsettledMinutes[m]
  end
  redis.call('ZADD', unsettledKey, unpack(scoresAndMembers))
end

-- Settling, after the cells: the minutes of this batch are among those it may settle. A minute that cannot be settled
-- stays unsettled, and so do the minutes after it (readers go on adding their bins, so every read stays exact); the
-- commit is applied all the same and says why, and the next attempt waits SETTLE_RETRY_SECONDS (the reason kept in
-- `refusedKey` meanwhile, and written to Redis's log).
local SETTLE_RETRY_SECONDS = 10
local refusedKey = prefix .. ':settle:refused'
local settleProblem
local due = nowMinute - 2
if due > through and redis.call('EXISTS', refusedKey) == 0 then
  local oldest = redis.call('ZRANGE', unsettledKey, 0, SETTLE_MINUTES_PER_COMMIT, 'WITHSCORES')
  local settled, firstLeft = {}, nil
  for u = 1, #oldest, 2 do
    local minute = tonumber(oldest[u + 1])
    if minute > due or #settled == SETTLE_MINUTES_PER_COMMIT then
      firstLeft = minute
      break
    end
    local unsettleable = settleMinute(oldest[u])
    if unsettleable then
      settleProblem = 'minute ' .. oldest[u] .. ' cannot be settled: ' .. unsettleable .. '; it and the minutes after it '
        .. 'stay unsettled (reads still add them) until that is mended'
      redis.call('SET', refusedKey, settleProblem, 'EX', SETTLE_RETRY_SECONDS)
      redis.log(redis.LOG_WARNING, 'StreamFold commit: ' .. settleProblem)
      firstLeft = minute
      break
    end
    settled[#settled + 1] = oldest[u]
  end
  if #settled > 0 then
    redis.call('ZREM', unsettledKey, unpack(settled))
  end
  local newThrough = firstLeft and math.min(due, firstLeft - 1) or due
  if newThrough > through then
    through = newThrough
    redis.call('SET', throughKey, through)
  end
end

-- Unique users: each hour's users added to that hour's and that day's HyperLogLog, either as their ids (PFADD, at
-- most 256 of them, see io.streamfold.processor.aggregation.UniqueUsers) or as one HyperLogLog value merged through
-- the scratch key (PFMERGE reads keys only), which is gone again when the script ends. Both leave the registers
-- PFADD of each user would.
local merged = false
for _, h in ipairs(hours) do
  local hourKey, dayKey = prefix .. ':uniq:hour:' .. h.hour, prefix .. ':uniq:day:' .. h.day
  if h.registers then
    redis.call('SET', KEYS[4], h.registers)
    redis.call('PFMERGE', hourKey, KEYS[4])
    redis.call('PFMERGE', dayKey, KEYS[4])
    merged = true
  else
    redis.call('PFADD', hourKey, unpack(ARGV, h.from, h.to))
    redis.call('PFADD', dayKey, unpack(ARGV, h.from, h.to))
  end
  redis.call('EXPIREAT', hourKey, (h.hour + 1) * 3600 + retention)
  redis.call('EXPIREAT', dayKey, (h.day + 1) * 86400 + retention)
end
if merged then
  redis.call('DEL', KEYS[4])
end

-- Sessions, merged above.
if sessionFields then
  local current = prefix .. ':sessions:' .. sessionWindow
  hset(current, sessionFields)
  redis.call('EXPIREAT', current, (sessionWindow + 2) * gap)
  redis.call('SET', prefix .. ':sessions:window', sessionWindow)
end

-- Dead letters: at most 1,000 field names and values each (the processor folds a wider entry's fields into one).
for _, at in ipairs(deadLetters) do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', dlqMax, '*', 'dlq_reason', ARGV[at + 1], 'dlq_detail', ARGV[at + 2],
      'dlq_entry_id', ARGV[at], 'dlq_consumer', consumer, 'dlq_deliveries', ARGV[at + 3], 'dlq_at', now,
      unpack(ARGV, at + 5, at + 4 + tonumber(ARGV[at + 4])))
end

redis.call('HSET', KEYS[2], consumer, batchId)
ack()
local reply = {1}
for d = 1, dimensionCount do
  reply[d + 1] = dimensions[d].foldedEvents
end
reply[#reply + 1] = settleProblem -- nil (no element) unless settling was refused
return reply
