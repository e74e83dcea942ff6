// Package sharedict implements ngx.shared.DICT: a named, size-bounded key/value store shared by every
// request and goroutine of a Handler, with OpenResty's exact semantics (atomic add, replace and incr,
// flags, expiry with millisecond resolution, lists, least-recently-used eviction with "forcible").
// Entries are stored in github.com/dgraph-io/ristretto/v2; a Redis-backed Dict serves a fleet.
//
// The shortest complete use:
//
//	size, _ := sharedict.ParseSize("10m") // as in lua_shared_dict dogs 10m
//	dogs, err := sharedict.New("dogs", size)
//	if err != nil { ... }
//	defer dogs.Close()
//	dogs.Set("Jim", sharedict.Number(8), 0, 0)
//	v, flags, err := dogs.Get("Jim") // 8, 0, nil
//
// # Semantics
//
// Every method is the OpenResty method of the same name (Set is set, SafeAdd is safe_add, IncrInit
// is incr with init) and behaves as lua-nginx-module 0.10.23 with lua-resty-core 0.1.25 does; the
// tests replay scripts recorded on that nginx, including thousands of random calls on small dicts,
// and agree with them byte for byte. Values are nil, booleans, numbers (float64) and strings; a
// missing key is the nil Value, not an error. Errors are *Error values whose Error() is
// OpenResty's string ("exists", "not found", "no memory"...), so a Lua binding returns them as
// they are; Error.Raised marks the few that OpenResty raises as Lua errors (bad "exptime"). Where
// OpenResty returns (ok, err, forcible), the Go method returns (forcible, err).
//
// Some behaviours follow from how nginx stores entries and are kept on purpose:
//   - An expired entry is not removed at once. get_stale still returns it; ttl gives a negative
//     value; expire revives it. Get, Set, Incr and the list methods first free at most two
//     expired entries from the least recently used end of the dict; FlushExpired frees the rest.
//   - FlushAll marks every entry expired and frees three of them.
//   - Exptime is truncated to milliseconds; under a millisecond means no expiry. Expire with a
//     negative exptime removes the expiry; Set with one returns ErrBadExptime.
//   - Storing a value of the same length as the old one rewrites it in place and never fails;
//     a value of another length frees the old node first, so a failed SafeSet loses the old value.
//   - Every lookup (get, get_stale, set, incr, the list methods) makes the key the most recently
//     used; ttl and expire do not.
//
// # Memory and eviction
//
// Capacity is the zone size in bytes and FreeSpace reports, as nginx does, only wholly free 4 KiB
// pages. The dict models nginx's slab allocator (64-bit, nginx 1.22) page by page, so a dict fills
// up, evicts and fails exactly when OpenResty's would. Each entry is charged what OpenResty
// allocates for it:
//
//   - a key/value: 68 bytes of node header + key + value (8 for a number, 1 for a boolean, the
//     length of a string), rounded up to a power of two of at least 8 bytes, or to whole
//     contiguous pages above 2048 bytes;
//   - a list: (84 + key) rounded up to a multiple of 8 for the list, plus 21 + value per element;
//   - a new zone: 80 bytes and 28 + name bytes of nginx's own bookkeeping, and the pages that
//     hold page descriptors. New rejects capacities under 8192 bytes, as lua_shared_dict does,
//     and zones too small for that bookkeeping (12k is the smallest that works for short names).
//
// When an allocation fails, Set, Add, Replace and IncrInit run up to 30 eviction rounds, each
// freeing the least recently used entry (expired or not) and up to two more expired ones, and
// report forcible = true; if that is not enough they fail with ErrNoMemory. SafeSet and SafeAdd
// never evict. LPush and RPush never evict either: they fail with ErrNoMemory, or with
// ErrNoMemoryNewList (OpenResty then returns false instead of nil) when the list itself could not
// be created.
//
// # Time
//
// Every time-dependent method has an explicit-time twin (GetAt, SetAt, IncrInitAt...) that takes
// the current time, for deterministic tests and for a caller, such as a Lua binding, that keeps a
// cached time per request as nginx does. The plain methods read the clock only when an entry with
// an expiry is involved, from the monotonic clock offset by the wall time at New, so the dict's
// time does not jump with the wall clock.
//
// # Design
//
// Entries live in one ristretto cache keyed by a 64-bit hash of the key. Ristretto's Set is
// asynchronous and its sampled-LFU admission and eviction may drop or reject keys, so the dict
// uses it only as its concurrent store: it never lets ristretto evict (MaxCost far above anything
// stored, cost 1 per entry), decides admission and eviction itself, and keeps new entries in a
// per-shard overlay until a batched Wait has let ristretto apply them (an entry found in the
// overlay is authoritative; see index.go). Keys are spread over shards (four per P, at most 64).
// Every operation is atomic, as in OpenResty.
//
// Lookups take no shard lock. A call first asks ristretto for the key's entry and locks only
// that entry; get, get_stale, ttl, expire, incr of a live number and a store that needs no memory
// (a refused add or replace, a value of the same length) finish there. Anything that creates,
// frees or resizes an entry, and the list methods, run under the shard's lock (every shard's
// when they may evict). Close waits for the lookups already inside ristretto (see guard.go).
//
// The LRU order is exact and kept lazily (see lru.go). Each access stores a stamp from a dict-wide
// counter in its entry; each shard keeps a min-heap of its entries keyed by the stamp they had
// when placed, and eviction, the expiry sweep, flush_expired and get_keys re-place the entries at
// the top that were used since, so the entry they find is exactly the least recently used one,
// as OpenResty's single LRU queue would give. The sweep at the start of get, set, incr and the
// list methods costs one atomic load while no entry has an expiry, and a clock reading while no
// entry is due (a lower bound of all expiries, see due.go); otherwise it checks the cached oldest
// entry, which stays valid while its stamp is unchanged, since the smallest stamp never
// decreases.
//
// Exactness has a price in parallelism. An access must order itself against every other access,
// which takes a write to a cache line every core writes (the stamp counter), and writes its entry,
// which other cores using the same key also write; ristretto's Get takes a read lock in one of its
// shards. On a machine where moving a cache line between cores costs about as much as a call
// (the two-core VM this was measured on: a bare atomic add on per-key counters shared by two cores
// runs no faster than on one), calls on keys that all cores use do not scale: with -cpu 1,2,
// BenchmarkGetParallel, SetParallel and IncrParallel stay near one call per 80-90 ns whether one
// or two cores run them, as does ristretto's own Get. Calls on keys that different cores do not
// share scale better. A monotonic clock reading was tried as the stamp source instead of the
// counter (exact while the clock advances between two calls of one goroutine): here it costs
// 30 ns a call and scaled no better. On one core a Get takes about 75 ns and an Incr 85 ns.
//
// # A Lua binding
//
// The Go API carries everything a binding needs to reproduce OpenResty's results (the package's
// transcript tests contain such a binding in miniature): non-string keys go through tostring and
// a nil key is ErrNilKey; exptime seconds become milliseconds by truncation; flags travel through
// LuaJIT's FFI as a C int, so a flag of 2^31 or more, or out of range, comes back negative; get
// returns flags only when they are non-zero; incr without init returns only the value; pushes
// return false with ErrNoMemoryNewList and nil with every other error; get_keys defaults to
// 1024 keys.
//
// # Redis
//
// RedisDict implements the same Store interface on Redis (github.com/redis/go-redis/v9), for
// dicts shared by many processes. Each call is one atomic Redis command or a Lua script run with
// EVALSHA (EVAL on NOSCRIPT): incr, which adds in float64 exactly as nginx does, and expire
// without TTL. TTLs are Redis TTLs with millisecond resolution; flags and value types are kept
// with each value. It differs from a Dict in what Redis cannot do:
//   - Expired keys are gone: GetStale never returns stale values, TTL is never negative, Expire
//     cannot revive a key, FlushExpired always returns 0.
//   - Redis evicts by its own maxmemory-policy: forcible is always false, and SafeSet and SafeAdd
//     behave as Set and Add. With noeviction a full Redis fails writes with ErrNoMemory.
//   - Capacity is the number given to NewRedis; FreeSpace is Redis' maxmemory less its used
//     memory, server-wide (Capacity when there is no maxmemory).
//   - FlushAll deletes the keys (scanning them; not atomic with concurrent writers) instead of
//     marking them expired; GetKeys returns keys in SCAN order, not least recently used first.
//   - Calls take their context from WithContext, and can fail with transport errors, which wrap
//     the client's error and name the key.
package sharedict
