-- string/number coercions in arithmetic and concatenation
print("10" + 1, "10" * "2", "3" - 1, "2" ^ "2", "7" % "4", -"3", "0x10" + 0, "1e1" + 0)
print(10 .. "", 1.5 .. "", -0.0 .. "", 1e100 .. "", 2^53 .. "", (1/3) .. "")
print(1 .. 2, 1 .. "" == "1")
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return {} .. "" end))
print(math.type == nil, type(1), type("1"))
print(10 == "10", tostring(10) == "10")
