-- comparison of mixed types without metamethods raises errors; strings compare bytewise
print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a\0b" < "a\0c", "10" < "9")
print(pcall(function() return 1 < "1" end))
print(pcall(function() return {} <= 1 end))
print(pcall(function() return nil < 1 end))
print(1 == "1", "1" == 1)
