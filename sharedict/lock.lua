-- resty.lock for goresty: lua-resty-lock 0.09's API and results, on ngx.shared dicts.
--
-- lock:lock(key) adds key to the dict (exptime seconds, 30 by default); while another holder
-- has it, it sleeps with ngx.sleep in steps that grow by ratio up to max_step, until timeout
-- seconds (5 by default, at most exptime) have passed, and returns the seconds it waited, or nil
-- and "timeout". go-lua has no __gc, so a lock object that is collected while it holds its key
-- keeps it until exptime ends it, where the original's finalizer deletes it: call unlock.

local shared, sleep = ngx.shared, ngx.sleep
local min, max = math.min, math.max
local setmetatable = setmetatable

local lock = { _VERSION = "0.09" }
local meta = { __index = lock }

function lock.new(_, dict_name, opts)
    local dict = shared[dict_name]
    if not dict then
        return nil, "dictionary not found"
    end
    local timeout, exptime, step, ratio, max_step
    if opts then
        timeout, exptime, step = opts.timeout, opts.exptime, opts.step
        ratio, max_step = opts.ratio, opts.max_step
    end
    exptime = exptime or 30
    if timeout then
        timeout = min(timeout, exptime)
        if step then
            step = min(step, timeout)
        end
    end
    return setmetatable({
        dict = dict,
        exptime = exptime,
        timeout = timeout or 5,
        step = step or 0.001,
        ratio = ratio or 2,
        max_step = max_step or 0.5,
    }, meta)
end

function lock.lock(self, key, exptime)
    if not key then
        return nil, "nil key"
    end
    if self.key then
        return nil, "locked"
    end
    local dict = self.dict
    exptime = exptime or self.exptime
    local ok, err = dict:add(key, true, exptime)
    if ok then
        self.key = key
        return 0
    elseif err ~= "exists" then
        return nil, err
    end
    local left, step = self.timeout, self.step
    if left > exptime then
        left = exptime
    end
    local waited = 0
    while left > 0 do
        sleep(step)
        waited = waited + step
        left = left - step
        ok, err = dict:add(key, true, exptime)
        if ok then
            self.key = key
            return waited
        elseif err ~= "exists" then
            return nil, err
        elseif left <= 0 then
            break
        end
        step = min(max(0.001, step * self.ratio), left, self.max_step)
    end
    return nil, "timeout"
end

function lock.unlock(self)
    local key = self.key
    if not key then
        return nil, "unlocked"
    end
    local ok, err = self.dict:delete(key)
    if not ok then
        return nil, err
    end
    self.key = nil
    return 1
end

function lock.expire(self, time)
    local key = self.key
    if not key then
        return nil, "unlocked"
    end
    local ok, err = self.dict:replace(key, true, time or self.exptime)
    if not ok then
        return nil, err
    end
    return true
end

return lock
