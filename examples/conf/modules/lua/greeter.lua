-- greeter is an ordinary Lua module: require loads it once per Lua state.
local _M = {}

local default_name = "stranger"

function _M.greet(name)
    if name == nil or name == "" then
        name = default_name
    end
    return "hello, " .. name .. "!"
end

return _M
