-- goto compile errors reported by load
print(load("goto l1; local x; ::l1:: print(x)"))
print(load("do ::a:: end goto a"))
print(load("::dup:: ::dup::"))
print(type(load("do goto e end ::e::")))
print(type(load("local x do goto f end ::f::")))
