-- dump(v) prints a value deterministically: tables with sorted keys, strings quoted.
local null = ngx.null

local function dump(v)
    if v == null then
        return "null"
    end
    local t = type(v)
    if t == "string" then
        return '"' .. v .. '"'
    end
    if t ~= "table" then
        return tostring(v)
    end
    local keys = {}
    for k in pairs(v) do
        keys[#keys + 1] = k
    end
    table.sort(keys, function(a, b)
        if type(a) ~= type(b) then
            return type(a) < type(b)
        end
        return a < b
    end)
    local parts = {}
    for i, k in ipairs(keys) do
        parts[i] = tostring(k) .. "=" .. dump(v[k])
    end
    return "{" .. table.concat(parts, ",") .. "}"
end

return dump
