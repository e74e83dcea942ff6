-- malformed patterns raise errors with Lua's messages
local pats = {"%", "[a", "[", "(", ")", "%b", "%ba", "%f", "%fa", "(()", "%1", "(a)%2", "[%", "a)", "%g[", "[a-%"}
for _, p in ipairs(pats) do
  local ok, err = pcall(string.find, "abc", p)
  print(string.format("%-6s", p), ok, err)
end
