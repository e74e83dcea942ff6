-- back-references %1..%9
print(("hello"):match("(l)%1"))
print(('say "hi" and \'bye\''):match("([\"'])(.-)%1"))
print(("abcabc"):match("^(abc)%1$"))
print(("abcabd"):match("^(abc)%1$"))
print(("xyyzzz"):gsub("(.)%1", "<%1%1>"))
print(("a=a b=c c=c"):gsub("(%a)=%1", "same"))
print(("[[x]] [=[y]=]"):match("%[(=*)%[(.-)%]%1%]", 7))
print(("aaaa"):find("(a)%1%1"))
