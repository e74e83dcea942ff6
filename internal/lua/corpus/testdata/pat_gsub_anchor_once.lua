-- an anchored gsub replaces at most once
print(("aaa"):gsub("^a", "b"))
print(("aaa"):gsub("^a*", "b"))
print(("aaa"):gsub("^", "x"))
print(("abc"):gsub("^(%a)", string.upper))
print((""):gsub("^$", "empty"))
