-- a small state machine written with goto
local input = "aabbbc"
local pos = 1
local out = {}
::state_a::
if input:sub(pos, pos) == "a" then out[#out + 1] = "A" pos = pos + 1 goto state_a end
::state_b::
if input:sub(pos, pos) == "b" then out[#out + 1] = "B" pos = pos + 1 goto state_b end
if pos <= #input then out[#out + 1] = "?" .. input:sub(pos, pos) pos = pos + 1 goto state_b end
print(table.concat(out))
