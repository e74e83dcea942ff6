print(("hello"):byte(-1), ("hello"):byte(10), ("hello"):sub(2.7, 3.2), ("hello"):sub(-100, 100))
print(("x"):rep(-1) == "", ("x"):rep(0), ("ab"):rep(2.9))
print(string.format("[%5s][%-5s][%.2s]", "ab", "ab", "abc"))
print(("a.b"):find(".", 1, true), ("a+b"):find("+", 1, true), ("a%b"):gsub("%%", "pct"))
print(("abc"):gsub("b", "%1"), pcall(string.gsub, "abc", "b", "%2"))
print(("abc"):gsub("%w", {a = "A", b = false, c = 1}))
print(("abc"):gsub("%w", function(c) if c == "b" then return false end return c:upper() end))
local out = {}
for w in ("^a^b"):gmatch("^%a") do out[#out + 1] = w end
print(#out, table.concat(out, ","))
for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do out[#out + 1] = k .. v end
print(table.concat(out, ","))
print(("  trim  "):gsub("^%s+", ""):gsub("%s+$", "") == "trim")
print(("%a"):format(1), ("%5.1s|"):format("abc"))
print(("test"):upper():lower(), ("TeSt"):len(), #("\u{48}"))
print(("abc"):find("b", -1), ("abc"):find("", 10), ("abc"):find("", 4), ("abc"):match("()", 4))
print(string.char(), pcall(string.char, -1), pcall(string.char, "65"))
print(("x"):byte(0), ("xyz"):byte(-2, -1))
print(tostring(("a"):find("a")))
