-- typical OpenResty uses of bit: flags, hashing, ip math
local FLAG_A, FLAG_B, FLAG_C = 1, 2, 4
local flags = bit.bor(FLAG_A, FLAG_C)
print(bit.band(flags, FLAG_B) ~= 0, bit.band(flags, FLAG_C) ~= 0)
flags = bit.band(flags, bit.bnot(FLAG_A))
print(flags)
local function ip2num(ip)
  local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  return bit.bor(bit.lshift(a, 24), bit.lshift(b, 16), bit.lshift(c, 8), d)
end
local n = ip2num("192.168.1.10")
print(n, bit.tohex(n))
local mask = bit.lshift(-1, 32 - 24)
print(bit.tohex(mask), bit.band(n, mask) == bit.band(ip2num("192.168.1.200"), mask))
local h = 5381
for c in ("hello"):gmatch(".") do h = bit.band(bit.lshift(h, 5) + h + c:byte(), 0x7fffffff) end
print(h)
