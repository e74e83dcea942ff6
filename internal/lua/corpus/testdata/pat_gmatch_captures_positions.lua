-- gmatch returning several captures including positions
for s, w, e in ("ab cde f"):gmatch("()(%a+)()") do print(s, w, e) end
for a, b in ("k1:v1;k2:v2"):gmatch("(%w+):(%w+)") do print(a .. "->" .. b) end
