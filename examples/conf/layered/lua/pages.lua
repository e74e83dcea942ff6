-- Pages served from a worker-level cache (resty.lrucache, 1 s), then a shared dict (10 s), then
-- the origin location, which one request at a time rebuilds under a lock.
local lrucache = require "resty.lrucache"
local lock = require "resty.lock"
local sha256 = require "resty.sha256"
local str = require "resty.string"

local _M = {}

local worker_cache = assert(lrucache.new(100))

local function etag(body)
    local digest = sha256:new()
    digest:update(body)
    return '"' .. str.to_hex(digest:final()):sub(1, 16) .. '"'
end

-- fetch returns the page and where it came from, or nil and why not.
local function fetch(name)
    local pages = ngx.shared.pages
    local body = pages:get(name)
    if body then
        return body, "shared"
    end
    local rebuild = lock:new("locks")
    local _, err = rebuild:lock(name)
    if err then
        return nil, "lock: " .. err
    end
    body = pages:get(name) -- another request may have built it while this one waited
    if body then
        rebuild:unlock()
        return body, "shared"
    end
    local res = ngx.location.capture("/origin", {args = {name = name}})
    if res.status ~= ngx.HTTP_OK then
        rebuild:unlock()
        return nil, "origin answered " .. res.status
    end
    pages:set(name, res.body, 10)
    rebuild:unlock()
    return res.body, "origin"
end

function _M.serve(name)
    if name == "" then
        return ngx.exit(ngx.HTTP_NOT_FOUND)
    end
    local body, from = worker_cache:get(name)
    if body then
        from = "worker"
    else
        body, from = fetch(name)
        if not body then
            ngx.log(ngx.ERR, "page ", name, ": ", from)
            return ngx.exit(ngx.HTTP_BAD_GATEWAY)
        end
        worker_cache:set(name, body, 1)
    end
    ngx.header["X-Cache"] = from
    ngx.header["ETag"] = etag(body)
    ngx.say(body)
end

return _M
