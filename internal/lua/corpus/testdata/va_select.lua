-- select('#') counts nils; select(n) returns the tail
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
print(select(2, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select("#", select(2, 1, 2, 3)))
local function last(...) local n = select("#", ...) if n > 0 then return (select(n, ...)) end end
print(last(1, 2, 3), last())
