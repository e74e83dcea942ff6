-- math.max and math.min with NaNs and signed zeros, as LuaJIT folds them
local nan = 0/0
print(math.max(nan, 1), math.max(1, nan) ~= math.max(1, nan), math.min(nan, 1), math.min(1, nan) ~= math.min(1, nan), 1/math.max(0, -0), 1/math.max(-0, 0), 1/math.min(0, -0), 1/math.min(-0, 0), math.max(3), math.max(1, 5, 2), math.min(4, 2, 8))
