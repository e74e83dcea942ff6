package sharedict

import "time"

// Get returns the value of key and its flags, as get(key) does; Nil when the key is missing or
// expired. A list gives ErrIsList. Like nginx, it first frees up to two expired entries at the
// least recently used end, and makes key the most recently used.
func (d *Dict) Get(key string) (Value, uint32, error) {
	v, flags, _, err := d.get(d.clockNow(), key, false)
	return v, flags, err
}

// GetAt is Get at time now.
func (d *Dict) GetAt(now time.Time, key string) (Value, uint32, error) {
	v, flags, _, err := d.get(clockAt(now), key, false)
	return v, flags, err
}

// GetStale is get_stale(key): like Get, but an expired value not yet freed is returned with
// stale = true, and nothing is freed first.
func (d *Dict) GetStale(key string) (v Value, flags uint32, stale bool, err error) {
	return d.get(d.clockNow(), key, true)
}

// GetStaleAt is GetStale at time now.
func (d *Dict) GetStaleAt(now time.Time, key string) (v Value, flags uint32, stale bool, err error) {
	return d.get(clockAt(now), key, true)
}

// Set stores key = v with an expiry (0: never; truncated to milliseconds; negative gives
// ErrBadExptime) and user flags, as set(key, v, exptime, flags) does. Storing Nil deletes key.
// When memory is short it evicts least recently used entries, even live ones, and reports
// forcible = true; if 30 rounds of eviction are not enough it fails with ErrNoMemory (and the key's
// old value is gone, as in OpenResty).
func (d *Dict) Set(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(d.clockNow(), opSet, key, v, exptime, flags)
}

// SetAt is Set at time now.
func (d *Dict) SetAt(now time.Time, key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(clockAt(now), opSet, key, v, exptime, flags)
}

// SafeSet is safe_set: Set without eviction; ErrNoMemory when the value does not fit.
func (d *Dict) SafeSet(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(d.clockNow(), opSet|opSafe, key, v, exptime, flags)
}

// SafeSetAt is SafeSet at time now.
func (d *Dict) SafeSetAt(now time.Time, key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(clockAt(now), opSet|opSafe, key, v, exptime, flags)
}

// Add is add: Set only if key is missing or expired, else ErrExists. Adding Nil gives ErrNilValue.
func (d *Dict) Add(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(d.clockNow(), opAdd, key, v, exptime, flags)
}

// AddAt is Add at time now.
func (d *Dict) AddAt(now time.Time, key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(clockAt(now), opAdd, key, v, exptime, flags)
}

// SafeAdd is safe_add: Add without eviction.
func (d *Dict) SafeAdd(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(d.clockNow(), opAdd|opSafe, key, v, exptime, flags)
}

// SafeAddAt is SafeAdd at time now.
func (d *Dict) SafeAddAt(now time.Time, key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(clockAt(now), opAdd|opSafe, key, v, exptime, flags)
}

// Replace is replace: Set only if key is live, else ErrNotFound. Replacing with Nil gives
// ErrNilValue.
func (d *Dict) Replace(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(d.clockNow(), opReplace, key, v, exptime, flags)
}

// ReplaceAt is Replace at time now.
func (d *Dict) ReplaceAt(now time.Time, key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error) {
	return d.store(clockAt(now), opReplace, key, v, exptime, flags)
}

// Delete is delete(key), that is Set(key, Nil, 0, 0).
func (d *Dict) Delete(key string) error {
	_, err := d.store(d.clockNow(), opSet, key, Nil, 0, 0)
	return err
}

// DeleteAt is Delete at time now.
func (d *Dict) DeleteAt(now time.Time, key string) error {
	_, err := d.store(clockAt(now), opSet, key, Nil, 0, 0)
	return err
}

// Incr is incr(key, n): it adds n to a live number and returns the sum; ErrNotFound when key is
// missing or expired, ErrNotNumber when it holds anything else. The expiry is kept.
func (d *Dict) Incr(key string, n float64) (float64, error) {
	v, _, err := d.incr(d.clockNow(), key, n, false, 0, 0)
	return v, err
}

// IncrAt is Incr at time now.
func (d *Dict) IncrAt(now time.Time, key string, n float64) (float64, error) {
	v, _, err := d.incr(clockAt(now), key, n, false, 0, 0)
	return v, err
}

// IncrInit is incr(key, n, init, initTTL): like Incr, but a missing or expired key is created as
// init + n with expiry initTTL (0: never; negative gives ErrBadInitTTL) and no flags, evicting
// like Set when memory is short (forcible). A live key keeps its expiry; init is then unused.
func (d *Dict) IncrInit(key string, n, init float64, initTTL time.Duration) (v float64, forcible bool, err error) {
	return d.incr(d.clockNow(), key, n, true, init, initTTL)
}

// IncrInitAt is IncrInit at time now.
func (d *Dict) IncrInitAt(now time.Time, key string, n, init float64, initTTL time.Duration) (v float64, forcible bool, err error) {
	return d.incr(clockAt(now), key, n, true, init, initTTL)
}

// LPush is lpush(key, v): it inserts a string or number (else ErrBadValueType) at the head of the
// list at key, creating the list (without expiry) when key is missing or expired, and returns the
// new length. A key holding a non-list gives ErrNotList. It never evicts: ErrNoMemory, or
// ErrNoMemoryNewList when the list could not be created.
func (d *Dict) LPush(key string, v Value) (int, error) { return d.push(d.clockNow(), key, v, true) }

// LPushAt is LPush at time now.
func (d *Dict) LPushAt(now time.Time, key string, v Value) (int, error) {
	return d.push(clockAt(now), key, v, true)
}

// RPush is rpush(key, v): LPush at the tail of the list.
func (d *Dict) RPush(key string, v Value) (int, error) { return d.push(d.clockNow(), key, v, false) }

// RPushAt is RPush at time now.
func (d *Dict) RPushAt(now time.Time, key string, v Value) (int, error) {
	return d.push(clockAt(now), key, v, false)
}

// LPop is lpop(key): it removes and returns the head of the list at key; Nil when key is missing
// or expired, ErrNotList for a non-list. Popping the last element deletes the key.
func (d *Dict) LPop(key string) (Value, error) { return d.pop(d.clockNow(), key, true) }

// LPopAt is LPop at time now.
func (d *Dict) LPopAt(now time.Time, key string) (Value, error) {
	return d.pop(clockAt(now), key, true)
}

// RPop is rpop(key): LPop at the tail.
func (d *Dict) RPop(key string) (Value, error) { return d.pop(d.clockNow(), key, false) }

// RPopAt is RPop at time now.
func (d *Dict) RPopAt(now time.Time, key string) (Value, error) {
	return d.pop(clockAt(now), key, false)
}

// LLen is llen(key): the length of the list at key, 0 when missing or expired, ErrNotList for a
// non-list.
func (d *Dict) LLen(key string) (int, error) { return d.llen(d.clockNow(), key) }

// LLenAt is LLen at time now.
func (d *Dict) LLenAt(now time.Time, key string) (int, error) { return d.llen(clockAt(now), key) }

// TTL is ttl(key): the time key has left, with millisecond resolution; 0 when it never expires,
// negative when it has expired but is not freed yet; ErrNotFound when missing.
func (d *Dict) TTL(key string) (time.Duration, error) { return d.ttl(d.clockNow(), key) }

// TTLAt is TTL at time now.
func (d *Dict) TTLAt(now time.Time, key string) (time.Duration, error) {
	return d.ttl(clockAt(now), key)
}

// Expire is expire(key, exptime): it gives key a new expiry (under a millisecond, negative too:
// never) even if it has expired but is not freed yet; ErrNotFound when missing.
func (d *Dict) Expire(key string, exptime time.Duration) error {
	return d.expire(d.clockNow(), key, exptime)
}

// ExpireAt is Expire at time now (it does not mean "expire at").
func (d *Dict) ExpireAt(now time.Time, key string, exptime time.Duration) error {
	return d.expire(clockAt(now), key, exptime)
}

// FlushAll is flush_all: every entry expires now. Their memory is reclaimed lazily (three at
// once, then by later operations); GetStale still sees them until then.
func (d *Dict) FlushAll() error { return d.flushAll() }

// FlushExpired is flush_expired(maxCount): it frees up to maxCount expired entries (<= 0: all),
// least recently used first, and returns how many it freed.
func (d *Dict) FlushExpired(maxCount int) (int, error) { return d.flushExpired(d.clockNow(), maxCount) }

// FlushExpiredAt is FlushExpired at time now.
func (d *Dict) FlushExpiredAt(now time.Time, maxCount int) (int, error) {
	return d.flushExpired(clockAt(now), maxCount)
}

// GetKeys is get_keys(maxCount): up to maxCount live keys (<= 0: all; OpenResty's default is
// 1024), least recently used first.
func (d *Dict) GetKeys(maxCount int) ([]string, error) { return d.getKeys(d.clockNow(), maxCount) }

// GetKeysAt is GetKeys at time now.
func (d *Dict) GetKeysAt(now time.Time, maxCount int) ([]string, error) {
	return d.getKeys(clockAt(now), maxCount)
}
