-- negative zero and infinities
print(-0.0, 0.0, 0 * -1, -0.0 == 0.0)
print(1 / 0, -1 / 0, math.huge, -math.huge)
print(1 / (-0.0), 1 / (0 * -1))
print(math.huge == 1 / 0, math.huge > 1e308)
print(string.format("%d %.1f %g", -0.0, -0.0, -0.0))
print(math.floor(-0.0), math.ceil(-0.5))
