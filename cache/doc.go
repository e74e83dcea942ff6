// Package cache holds goresty's caches.
//
// Responses is a response cache in the manner of nginx's proxy_cache. It keeps what an
// origin answered (the handler it wraps, or a proxy) in a ristretto cache bounded in bytes,
// keyed and refreshed by a Policy that holds the proxy_cache_* directives of a location:
// freshness from X-Accel-Expires, Cache-Control and Expires or from proxy_cache_valid rules,
// in whole seconds as nginx counts them; min_uses, bypass and no_cache; stale responses on
// errors, timeouts, chosen statuses or while another request refreshes them; background
// updates; revalidation with If-Modified-Since and If-None-Match; Vary variants; and a lock
// that lets one request fetch a missing key while the others wait for it. Each request gets a
// Status, nginx's $upstream_cache_status (MISS, HIT, EXPIRED, STALE, UPDATING, REVALIDATED,
// BYPASS). As a net/http middleware:
//
//	rc, err := cache.NewResponses(cache.ResponsesOptions{MaxSize: 256 << 20})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer rc.Close()
//	h := rc.Handler(cache.Policy{Valid: cache.ValidFor(time.Minute), Lock: true}, app)
//
// Responses.Serve is the same with an Origin that may fail (so that a stale response can
// answer instead) and the Status reported before the response is written, for callers with
// header filters, such as resty.
//
// The package also holds lua-resty-lrucache for Lua hooks: require "resty.lrucache" (and
// "resty.lrucache.pureffi") finds LuaModules' modules, whose originals need LuaJIT's FFI. Such
// a cache lives in one Lua VM, as the original lives in one nginx worker, holds any Lua values
// and evicts exactly the least recently used key, so it is a plain map and list in the VM
// rather than a shared concurrent store.
package cache
