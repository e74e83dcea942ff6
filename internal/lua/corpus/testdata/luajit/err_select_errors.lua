-- select with bad indices
-- (bad-argument errors are raised from Lua call sites: when pcall calls a global function
-- directly, lua5.2 names it "f" or "_G.f" depending on hash order, which is not reproducible)
print(pcall(function() return select(0, "a") end))
print(pcall(function() return select("x") end))
print(select(-1, "a", "b", "c"))
print(pcall(function() return select(-4, "a", "b", "c") end))
print(select(5, "a", "b"))
