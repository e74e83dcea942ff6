-- a small JSON decoder driven by find/match with init positions
local decode
local function skip(s, i) return (s:find("%S", i)) or #s + 1 end
local function value(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    local obj = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return obj, i + 1 end
    while true do
      local k
      k, i = value(s, i)
      i = skip(s, i)
      assert(s:sub(i, i) == ":", "colon expected at " .. i)
      obj[k], i = value(s, i + 1)
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "}" then return obj, i + 1 end
      assert(d == ",", "comma expected at " .. i)
      i = i + 1
    end
  elseif c == "[" then
    local arr = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return arr, i + 1 end
    while true do
      arr[#arr + 1], i = value(s, i)
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "]" then return arr, i + 1 end
      i = i + 1
    end
  elseif c == '"' then
    local j = i + 1
    local out = {}
    while true do
      local a, b, esc = s:find('([\\"])', j)
      out[#out + 1] = s:sub(j, a - 1)
      if esc == '"' then return table.concat(out), b + 1 end
      local n = s:sub(b + 1, b + 1)
      out[#out + 1] = ({n = "\n", t = "\t", ['"'] = '"', ["\\"] = "\\"})[n] or n
      j = b + 2
    end
  else
    local lit = s:match("^%-?%d+%.?%d*[eE]?[%+%-]?%d*", i)
    if lit and #lit > 0 then return tonumber(lit), i + #lit end
    for word, v in pairs({["true"] = true, ["false"] = false}) do
      if s:sub(i, i + #word - 1) == word then return v, i + #word end
    end
    if s:sub(i, i + 3) == "null" then return nil, i + 4 end
    error("unexpected character '" .. c .. "' at " .. i, 0)
  end
end
decode = function(s) return (value(s, 1)) end
local v = decode(' {"a": [1, 2.5, -3e2, "x\\"y"], "b": {"c": true, "d": null}, "e": "tab\\there"} ')
print(v.a[1], v.a[2], v.a[3], v.a[4], v.b.c, v.b.d, v.e)
print(pcall(decode, "[1, ?]"))
