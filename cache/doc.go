// Package cache holds goresty's caches. So far it is lua-resty-lrucache for Lua hooks:
// require "resty.lrucache" (and "resty.lrucache.pureffi") finds LuaModules' modules, whose
// originals need LuaJIT's FFI. Such a cache lives in one Lua VM, as the original lives in one
// nginx worker, holds any Lua values and evicts exactly the least recently used key, so it is a
// plain map and list in the VM rather than a shared concurrent store. A response cache in the
// manner of nginx's proxy_cache is still to come.
package cache
