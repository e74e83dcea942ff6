-- string.format combinations used in logs and headers
print(string.format("%s=%d; %s=%.1f", "a", 1, "b", 2.25))
print(string.format("%-10s|%10s|", "left", "right"))
print(string.format("%03d-%02d-%02d %02d:%02d:%02d", 2024, 1, 5, 7, 8, 9))
print(string.format("%5.1f%%", 12.345))
print(string.format("%x:%X:%o", 3735928559, 3735928559, 511))
print(string.format("[%s]", string.format("%q", "x\ny")))
print(string.format("%-5d|%5s|%-5.2f|", 42, "ab", 3.14159))
print(string.format("%.3s|%.0s|", "abcdef", "abc"))
