local cjson = require "cjson"

if ngx.req.get_method() ~= "GET" then
    return ngx.exit(ngx.HTTP_NOT_ALLOWED)
end
local id = tonumber(ngx.var.uri:match("^/orders/(%d+)$"))
if not id then
    return ngx.exit(ngx.HTTP_NOT_FOUND)
end
ngx.say(cjson.encode({ id = id, total = id * 10 }))
