-- escaping magic characters with %
local magic = "^$()%.[]*+-?"
local escaped = magic:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")
print(escaped)
print(("cost: $5.00 (approx)"):find(escaped:sub(1, 0) .. "%$5%.00 %(approx%)"))
print(("a+b=c"):match("a%+b"))
print(("1.5"):match("^%d+%.%d+$"))
print(("what?"):gsub("%?", "!"))
print(("100%"):gsub("%%", " percent"))
