-- error messages built from numbers use Lua's number formatting
print(pcall(error, "value " .. 1 / 3, 0))
print(pcall(error, "value " .. 10 / 2, 0))
print(pcall(error, "value " .. 2 ^ 60, 0))
print(pcall(function() error(1 / 3) end))
