local t = {}
for i = 1, 20 do t[i] = {k = i % 4, id = i} end
table.sort(t, function(a, b) return a.k < b.k end)
local out = {}
for i, v in ipairs(t) do out[i] = v.k .. ":" .. v.id end
print(table.concat(out, " "))
local u = {}
for i = 1, 50 do u[i] = (i * 7919) % 13 end
table.sort(u)
print(table.concat(u, ","))
local w = {}
for i = 1, 30 do w[i] = {k = (i * 31) % 5, id = i} end
table.sort(w, function(a, b) return a.k > b.k end)
out = {}
for i, v in ipairs(w) do out[i] = v.id end
print(table.concat(out, " "))
