-- gsub with a function replacement: captures as args, nil/false keep the match
print(("hello world"):gsub("%a+", function(w) return w:upper() end))
print(("1 2 3"):gsub("%d", function(d) return tonumber(d) * 2 end))
print(("a b c"):gsub("%a", function(c) if c == "b" then return nil end return "<" .. c .. ">" end))
print(("a b c"):gsub("%a", function(c) return false end))
print(("k=v x=y"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end))
print(("abc"):gsub("()", function(p) return p end))
local calls = 0
print(("xxx"):gsub("x", function() calls = calls + 1 end), calls)
print(("a"):gsub("a", function() return 1.5 end))
