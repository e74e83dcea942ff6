// Package limit implements the request limiters of OpenResty's lua-resty-limit-traffic: the leaky
// bucket (resty.limit.req), concurrent connections (resty.limit.conn), a fixed-window counter
// (resty.limit.count) and their combination (resty.limit.traffic), as Go values, as net/http
// middleware, and as Lua modules. State lives in a sharedict.Dict or in Redis.
package limit
