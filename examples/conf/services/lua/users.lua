local cjson = require "cjson"

local users = { ["1"] = "ada", ["2"] = "linus" }

local id = ngx.var.uri:match("^/users/(%d+)$")
if ngx.var.uri == "/users/" then
    local list = {}
    for k, v in pairs(users) do
        list[#list + 1] = { id = tonumber(k), name = v }
    end
    table.sort(list, function(a, b) return a.id < b.id end)
    ngx.say(cjson.encode(list))
elseif id and users[id] then
    ngx.say(cjson.encode({ id = tonumber(id), name = users[id] }))
else
    ngx.exit(ngx.HTTP_NOT_FOUND)
end
