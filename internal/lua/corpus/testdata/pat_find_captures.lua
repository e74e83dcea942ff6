-- string.find returns captures after the positions
print(string.find("key = value", "(%w+)%s*=%s*(%w+)"))
print(string.find("2024-01-15", "(%d+)-(%d+)-(%d+)"))
print(string.find("abc", "(b)()"))
print(string.find("no digits here", "(%d+)"))
print(string.find("  trim  ", "^%s*(.-)%s*$"))
print(string.find("xyz", "()"))
