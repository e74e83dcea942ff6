// Package sharedict implements ngx.shared.DICT: a named, size-bounded key/value store shared by every
// request and goroutine of a Handler, with OpenResty's exact semantics (atomic add, replace and incr,
// flags, expiry with millisecond resolution, lists, least-recently-used eviction with "forcible").
// Entries are stored in github.com/dgraph-io/ristretto/v2; a Redis-backed Dict serves a fleet.
package sharedict
