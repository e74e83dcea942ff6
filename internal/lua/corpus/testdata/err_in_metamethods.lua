-- errors raised inside metamethods and iterators propagate to pcall
local t = setmetatable({}, {__index = function(_, k) error("no field " .. k, 2) end})
print(pcall(function() return t.missing end))
local u = setmetatable({}, {__add = function() error("cannot add", 0) end})
print(pcall(function() return u + 1 end))
print(pcall(function() for k in function() error("iter fail", 0) end do end end))
print(pcall(tostring, setmetatable({}, {__tostring = function() error("ts fail", 0) end})))
