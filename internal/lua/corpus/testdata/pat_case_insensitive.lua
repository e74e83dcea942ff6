-- building a case-insensitive pattern (escape magic characters first: '-' is a quantifier)
local function nocase(p)
  p = p:gsub("%p", "%%%0")
  return (p:gsub("%a", function(c) return "[" .. c:lower() .. c:upper() .. "]" end))
end
local p = nocase("content-type")
print(p)
print(("Content-Type: text/html"):match("^" .. p .. ":%s*(.*)$"))
print(("CONTENT-TYPE:json"):match("^" .. p .. ":%s*(.*)$"))
print(("X-Other: 1"):match("^" .. p))
-- without escaping, '-' makes the preceding item lazy and the match fails
print(("content-type"):match("^content-type$"))
