-- Driver for TestCodecGoldensAgainstNginx: evaluates each line of the request body as a Lua
-- expression and prints one line per expression: the hex of its value (a string, or a number
-- through tostring), "nil", or "error" followed by the hex of the error message.

local function hex(s)
    return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- args_repr renders ngx.decode_args's results: keys sorted, "key:" then the values ("s" and the
-- string, or "t" for true) joined with ",", keys joined with ";", then " truncated" if reported.
local function args_repr(t, err)
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    local out = {}
    for _, k in ipairs(keys) do
        local v = t[k]
        if type(v) ~= "table" then v = {v} end
        local vs = {}
        for i, x in ipairs(v) do
            vs[i] = x == true and "t" or "s" .. x
        end
        out[#out + 1] = k .. ":" .. table.concat(vs, ",")
    end
    local s = table.concat(out, ";")
    if err then s = s .. " " .. err end
    return s
end

-- sorted_amp sorts the "&"-separated parts of s: ngx.encode_args writes keys in pairs order.
local function sorted_amp(s)
    local parts = {}
    for p in (s .. "&"):gmatch("([^&]*)&") do parts[#parts + 1] = p end
    table.sort(parts)
    return table.concat(parts, "&")
end

local env = setmetatable({args_repr = args_repr, sorted_amp = sorted_amp}, {__index = _G})

ngx.req.read_body()
local body = ngx.req.get_body_data() or ""
for line in body:gmatch("[^\n]+") do
    local f, err = loadstring("return " .. line, "case")
    if not f then
        ngx.say("error ", hex(err))
    else
        setfenv(f, env)
        local ok, v = pcall(f)
        if not ok then
            ngx.say("error ", hex(tostring(v)))
        elseif v == nil then
            ngx.say("nil")
        else
            ngx.say(hex(tostring(v)))
        end
    end
end
