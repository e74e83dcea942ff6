// Package limit implements the request limiters of OpenResty's lua-resty-limit-traffic: the leaky
// bucket (resty.limit.req), concurrent connections (resty.limit.conn), a fixed-window counter
// (resty.limit.count) and their combination (resty.limit.traffic), as Go values, as net/http
// middleware, and as Lua modules. State lives in a sharedict.Dict or in Redis.
//
// The shortest complete use, 2 requests per second per client with bursts of 10:
//
//	dict, _ := sharedict.New("limits", 10<<20) // lua_shared_dict limits 10m
//	lim, err := limit.NewReq(dict, 2, 10)
//	if err != nil { ... }
//	handler = limit.Middleware(limit.Config{Limiter: lim})(handler)
//
// # The algorithms
//
// Req, Conn, Count and Combine compute what the original Lua modules compute, number for number:
// the same formulas in float64, the same records in the dict (a leaky-bucket record is the 16-byte
// struct the original writes through LuaJIT's FFI; counters are dict numbers), the same results
// and error strings ("rejected", "shdict abused by other users", the dict's own "not found").
// Numbers are in the original's units: rates in requests per second, delays, latencies and
// windows in seconds, as float64. Every time-dependent method has an explicit-time twin
// (IncomingAt) and every limiter a SetClock, so sequences can be tested under a fixed clock.
//
// One thing differs on purpose: OpenResty runs one Lua thread per worker, and req's get-then-set
// is not atomic across workers. Here every decision on a key is atomic within the process (a
// striped lock shared by all limiters, held across the read, the computation, the write and the
// reading of the clock), so concurrent goroutines are admitted exactly as a sequence would be.
//
// # Stores
//
// A limiter keeps its state in the sharedict.Store it is given. On a *sharedict.Dict it uses the
// dict's explicit-time methods with the limiter's clock. On a *RedisStore, for a fleet, each
// decision is one atomic Redis script (EVALSHA, EVAL when Redis lost it) and Req reads the Redis
// server's time; the keys and values are those of a sharedict.RedisDict of the same name. Any
// other Store (a plain sharedict.RedisDict, say) is used through its ordinary methods, as
// OpenResty uses a dict, without atomicity across processes.
//
// # Middleware
//
// Middleware (net/http) and AccessHook (a resty access hook) key requests by client address
// (ClientIP; X-Forwarded-For and X-Real-IP only from trusted proxies), reject over-limit requests
// with 429 and Retry-After, or delay them (Config.Delay), add RateLimit-Limit, -Remaining and
// -Reset, count without acting (DryRun), and fail open or closed when the store fails.
//
// # Lua
//
// LuaModules returns the loaders of resty.limit.req, resty.limit.conn, resty.limit.count and
// resty.limit.traffic for the Lua engine, with the original's API:
//
//	local limit_req = require "resty.limit.req"
//	local lim, err = limit_req.new("my_limit_req_store", 200, 100)
//	local delay, err = lim:incoming(ngx.var.binary_remote_addr, true)
//	if not delay then
//	    if err == "rejected" then return ngx.exit(503) end
//	    return ngx.exit(500)
//	end
package limit
