-- The gateway's logic: parallel calls over kept-alive cosockets.
local cjson = require "cjson"
local roundrobin = require "resty.roundrobin"

local _M = {}

local replicas = roundrobin:new({r1 = 2, r2 = 1}) -- r1 takes two calls in three

-- get fetches path from this server and returns the body, or nil and an error.
local function get(path)
    local sock = ngx.socket.tcp()
    sock:settimeout(1000)
    local ok, err = sock:connect("127.0.0.1", ngx.var.server_port)
    if not ok then
        return nil, "connect: " .. err
    end
    local reused = sock:getreusedtimes()
    sock:send("GET " .. path .. " HTTP/1.1\r\nHost: localhost\r\n\r\n")
    local status = sock:receive()
    if not status then
        return nil, "no response"
    end
    local length
    while true do
        local line = sock:receive()
        if not line or line == "" then
            break
        end
        length = length or tonumber(line:match("^[Cc]ontent%-[Ll]ength:%s*(%d+)"))
    end
    local body, err = sock:receive(length or "*a")
    if not body then
        return nil, err
    end
    sock:setkeepalive(10000, 16) -- back to the pool for the next request
    return body, reused
end

-- fanout calls every service at once and answers their replies as one JSON object.
function _M.fanout(services)
    local threads = {}
    for i, name in ipairs(services) do
        threads[i] = ngx.thread.spawn(get, "/backend/" .. name .. "?replica=" .. replicas:find())
    end
    local out = {}
    for i, t in ipairs(threads) do
        local _, body, reused = ngx.thread.wait(t)
        local reply = body and cjson.decode(body) or {error = tostring(reused)}
        if body then
            reply.connection_reused = reused > 0
        end
        out[services[i]] = reply
    end
    ngx.header.content_type = "application/json"
    ngx.say(cjson.encode(out))
end

return _M
