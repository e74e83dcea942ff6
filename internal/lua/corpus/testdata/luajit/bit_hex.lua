-- bit.tohex with default, positive and negative widths; bit.bswap
print(bit.tohex(255), bit.tohex(255, 2), bit.tohex(255, -4), bit.tohex(-1), bit.tohex(0x12345678, 4))
print(bit.tohex(0), bit.tohex(1, 1), bit.tohex(0xabcdef, -8), bit.tohex(-1, -2))
print(bit.bswap(0x12345678), bit.tohex(bit.bswap(0x12345678)), bit.bswap(0xff))
