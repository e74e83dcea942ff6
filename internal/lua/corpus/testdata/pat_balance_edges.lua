-- %b with identical open/close characters and unbalanced subjects
print(('"a" "b"'):match('%b""'))
print(("||x||"):gsub("%b||", "B"))
print(("(unclosed"):find("%b()"))
print((")("):find("%b()"))
print(("(a)(b)(c)"):gsub("%b()", "."))
print(("((a)(b))"):match("^%b()$"))
print(pcall(string.find, "x", "%b("))
