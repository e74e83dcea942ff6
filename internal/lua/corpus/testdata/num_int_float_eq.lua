-- numbers as table keys: 1 and 1.0 are the same key; large integers stay exact up to 2^53
local t = {}
t[1] = "int"
t[1.0] = "float"
t[2^53] = "big"
print(t[1], #t, t[2^53], t[2^53 + 1])
print(2^53 == 2^53 + 1, 2^52 + 1 == 2^52)
print(0.1 + 0.2 == 0.3, math.abs(0.1 + 0.2 - 0.3) < 1e-15)
print(9007199254740993, 123456789012345678)
print(0xff, 0XA, 0x7fffffff, 0xffffffff, 0x10p2, 1e0)
