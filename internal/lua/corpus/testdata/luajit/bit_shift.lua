-- bit shifts and rotations, counts taken modulo 32
print(bit.lshift(1, 0), bit.lshift(1, 4), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33))
print(bit.rshift(256, 4), bit.rshift(-1, 28), bit.rshift(-1, 0), bit.rshift(0x80000000, 31))
print(bit.arshift(-256, 4), bit.arshift(256, 4), bit.arshift(-1, 31), bit.arshift(0x80000000, 31))
print(bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.rol(1, 32), bit.ror(1, 1))
print(bit.lshift(0xff, 24), bit.rshift(bit.lshift(0xff, 24), 24))
