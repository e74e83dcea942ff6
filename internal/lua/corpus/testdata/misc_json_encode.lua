-- a small JSON encoder with sorted object keys
local encode
local function esc(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local m = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r"}
    return m[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
function encode(v)
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v % 1 == 0 then return string.format("%d", v) end
    return string.format("%.14g", v)
  elseif t == "string" then return esc(v)
  elseif t == "table" then
    if #v > 0 or next(v) == nil then
      local parts = {}
      for i = 1, #v do parts[i] = encode(v[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = esc(k) .. ":" .. encode(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("cannot encode " .. t)
end
print(encode({name = "x\"y", list = {1, 2.5, true, "s\n"}, nested = {a = {}, b = false}, n = -3}))
print(pcall(encode, {f = print}))
