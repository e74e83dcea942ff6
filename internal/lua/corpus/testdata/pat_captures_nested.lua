-- nested captures, captures in order of their opening parenthesis
print(("hello world"):match("((%a+) (%a+))"))
print(("2024-06-30T12:34"):match("((%d+)-(%d+)-(%d+))T((%d+):(%d+))"))
print(("abc"):match("(a(b(c)))"))
print(("abc"):match("()a()b()c()"))
print(("abc"):match("(()a())"))
