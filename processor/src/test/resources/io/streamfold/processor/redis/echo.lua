-- Returns its keys, then its arguments, as they arrived.
local reply = {}
for k = 1, #KEYS do
  reply[#reply + 1] = KEYS[k]
end
for k = 1, #ARGV do
  reply[#reply + 1] = ARGV[k]
end
return reply
