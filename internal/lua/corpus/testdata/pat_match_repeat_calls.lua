-- repeated matching on many strings gives consistent results
local words = {"alpha", "Beta", "gamma1", "DELTA_2", "e", ""}
for _, w in ipairs(words) do
  print(w, w:match("^%u"), w:match("%d+$"), w:find("_", 1, true), #w:gsub("%l", ""))
end
