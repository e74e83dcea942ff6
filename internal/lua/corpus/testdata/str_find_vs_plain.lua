-- find with plain=false vs plain=true on strings containing magic characters
local s = "1+1=2 (really?) [yes] 100% sure."
for _, needle in ipairs({"+", "(really?)", "[yes]", "%", ".", "?"}) do
  print(needle, s:find(needle, 1, true), pcall(string.find, s, needle))
end
