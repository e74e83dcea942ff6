-- bit.band/bor/bxor/bnot with LuaJIT's signed 32-bit results
print(bit.band(0xff, 0x0f), bit.bor(0xf0, 0x0f), bit.bxor(0xff, 0x0f), bit.bnot(0))
print(bit.band(-1, 0xffffffff), bit.bor(0x80000000, 0), bit.bnot(0xffffffff))
print(bit.band(1, 3, 5, 7), bit.bor(1, 2, 4, 8), bit.bxor(1, 3, 7))
print(bit.band(2^32 + 5, 7), bit.bor(1.0, 2.0), bit.band(-2^31, -1))
print(bit.tobit(0xffffffff), bit.tobit(2^32 + 1), bit.tobit(-1), bit.tobit(2^31))
