-- common helpers written with patterns: split, trim, starts/ends
local function split(s, sep)
  local out = {}
  for piece in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
print(table.concat(split("a,b,,c", ","), "|"))
print(table.concat(split("a.b.c", "."), "|"))
print(table.concat(split("one", ","), "|"))
print("[" .. trim("  \t padded \n ") .. "]")
print(("prefix-rest"):sub(1, #"prefix") == "prefix")
print(("file.tar.gz"):match("^(.-)%.([^%.]+)$"))
print(("file.tar.gz"):match("^(.*)%.([^%.]+)$"))
