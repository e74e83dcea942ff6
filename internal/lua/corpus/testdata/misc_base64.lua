-- base64 encoding and decoding written with arithmetic only
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local q = {math.floor(n / 262144) % 64, math.floor(n / 4096) % 64, math.floor(n / 64) % 64, n % 64}
    out[#out + 1] = chars:sub(q[1] + 1, q[1] + 1) .. chars:sub(q[2] + 1, q[2] + 1)
      .. (b and chars:sub(q[3] + 1, q[3] + 1) or "=") .. (c and chars:sub(q[4] + 1, q[4] + 1) or "=")
  end
  return table.concat(out)
end
local function dec(s)
  s = s:gsub("[^%w%+/=]", "")
  local out = {}
  for i = 1, #s, 4 do
    local n, pad = 0, 0
    for j = i, i + 3 do
      local c = s:sub(j, j)
      if c == "=" then pad = pad + 1 n = n * 64 else n = n * 64 + (chars:find(c, 1, true) - 1) end
    end
    local bytes = string.char(math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    out[#out + 1] = bytes:sub(1, 3 - pad)
  end
  return table.concat(out)
end
for _, s in ipairs({"", "f", "fo", "foo", "foob", "fooba", "foobar", "hello, world\0!"}) do
  local e = enc(s)
  print(e, dec(e) == s)
end
