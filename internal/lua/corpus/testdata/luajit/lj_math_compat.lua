-- Lua 5.1 math names used by OpenResty code
print(math.pow(2, 10), math.log10(1000), math.fmod(7, 3), math.floor(-0.5))
print(math.max(1, 5, 3), math.min(4, 2, 8), math.abs(-3))
print(tonumber("0x1F"), tonumber("z", 36), tonumber("10", 2))
