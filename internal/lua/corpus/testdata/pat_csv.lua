-- a small CSV line parser using find with init
local function parse(line)
  local res, pos = {}, 1
  while true do
    if line:sub(pos, pos) == '"' then
      local txt, c = "", nil
      repeat
        local a, b = line:find('^%b""', pos)
        txt = txt .. line:sub(a + 1, b - 1)
        pos = b + 1
        c = line:sub(pos, pos)
        if c == '"' then txt = txt .. '"' end
      until c ~= '"'
      res[#res + 1] = txt
      pos = pos + 1
    else
      local s = line:find(",", pos, true)
      if s then
        res[#res + 1] = line:sub(pos, s - 1)
        pos = s + 1
      else
        res[#res + 1] = line:sub(pos)
        break
      end
    end
    if pos > #line + 1 then break end
  end
  return res
end
for _, l in ipairs({'a,b,c', '"x,y",z', '"say ""hi""",2', 'solo', ',,'}) do
  print(#parse(l), table.concat(parse(l), "|"))
end
