-- frontier at the start and end of the subject
print(("abc"):find("%f[%w]"))
print(("abc"):find("%f[%W]"))
print(("abc "):find("%f[%W]"))
print((" abc"):find("%f[%w]"))
print(("ab"):gsub("%f[%w]", "|"))
print(("ab cd"):gsub("%f[%W]", "|"))
print(pcall(string.find, "x", "%f"))
print(pcall(string.find, "x", "%fx"))
