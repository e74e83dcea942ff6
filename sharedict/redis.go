package sharedict

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisDict is a Store kept in Redis, for a fleet of processes that must share a dict. Each key
// is a Redis key (prefix + key) with its TTL in Redis (millisecond resolution); each method is one
// atomic Redis command or server-side Lua script (run with EVALSHA, falling back to EVAL on
// NOSCRIPT). The package documentation lists where it differs from a Dict.
type RedisDict struct {
	client   redis.UniversalClient
	name     string
	prefix   string
	capacity int64
	ctx      context.Context
}

var _ Store = (*RedisDict)(nil)

// NewRedis returns the dict name stored through client, under Redis keys "sharedict:" + name +
// ":" + key. capacity is what Capacity reports: Redis has no per-dict size.
func NewRedis(client redis.UniversalClient, name string, capacity int64) *RedisDict {
	return &RedisDict{
		client:   client,
		name:     name,
		prefix:   "sharedict:" + name + ":",
		capacity: capacity,
		ctx:      context.Background(),
	}
}

// WithContext returns a shallow copy of d whose calls use ctx (for cancellation and deadlines);
// by default calls use context.Background() and the client's timeouts.
func (d *RedisDict) WithContext(ctx context.Context) *RedisDict {
	c := *d
	c.ctx = ctx
	return &c
}

// Name returns the dict's name.
func (d *RedisDict) Name() string { return d.name }

func (d *RedisDict) wrap(op, key string, err error) error {
	if strings.HasPrefix(err.Error(), "OOM ") {
		return ErrNoMemory
	}
	return fmt.Errorf("sharedict %s: %s %q: %w", d.name, op, key, err)
}

func isWrongType(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE") }

// Get is get(key). A list gives ErrIsList.
func (d *RedisDict) Get(key string) (Value, uint32, error) {
	if err := checkKey(key); err != nil {
		return Nil, 0, err
	}
	s, err := d.client.Get(d.ctx, d.prefix+key).Result()
	switch {
	case err == redis.Nil:
		return Nil, 0, nil
	case isWrongType(err):
		return Nil, 0, ErrIsList
	case err != nil:
		return Nil, 0, d.wrap("get", key, err)
	}
	return decodeValue(s)
}

// GetStale is get_stale(key); Redis never keeps expired values, so stale is always false.
func (d *RedisDict) GetStale(key string) (Value, uint32, bool, error) {
	v, flags, err := d.Get(key)
	return v, flags, false, err
}

// Set is set(key, v, exptime, flags); storing Nil deletes. forcible is always false: Redis evicts
// by its own maxmemory-policy, and with noeviction the write fails with ErrNoMemory.
func (d *RedisDict) Set(key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	return d.store("set", "", key, v, exptime, flags)
}

// SafeSet is safe_set; on Redis it is Set.
func (d *RedisDict) SafeSet(key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	return d.store("safe_set", "", key, v, exptime, flags)
}

// Add is add: Set if key is missing, else ErrExists.
func (d *RedisDict) Add(key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	return d.store("add", "NX", key, v, exptime, flags)
}

// SafeAdd is safe_add; on Redis it is Add.
func (d *RedisDict) SafeAdd(key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	return d.store("safe_add", "NX", key, v, exptime, flags)
}

// Replace is replace: Set if key exists, else ErrNotFound.
func (d *RedisDict) Replace(key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	return d.store("replace", "XX", key, v, exptime, flags)
}

// Delete is delete(key).
func (d *RedisDict) Delete(key string) error {
	_, err := d.store("delete", "", key, Nil, 0, 0)
	return err
}

func (d *RedisDict) store(op, mode, key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	if exptime < 0 {
		return false, ErrBadExptime
	}
	if err := checkKey(key); err != nil {
		return false, err
	}
	if v.kind == KindNil {
		if mode != "" {
			return false, ErrNilValue
		}
		if err := d.client.Del(d.ctx, d.prefix+key).Err(); err != nil {
			return false, d.wrap(op, key, err)
		}
		return false, nil
	}
	args := redis.SetArgs{Mode: mode, TTL: exptime.Truncate(time.Millisecond)}
	err := d.client.SetArgs(d.ctx, d.prefix+key, encodeValue(v, flags), args).Err()
	switch {
	case err == redis.Nil && mode == "NX":
		return false, ErrExists
	case err == redis.Nil:
		return false, ErrNotFound
	case err != nil:
		return false, d.wrap(op, key, err)
	}
	return false, nil
}

// incrScript adds ARGV[1] to the number at KEYS[1], keeping its TTL and flags; a missing key is
// created as ARGV[3] + ARGV[1] with TTL ARGV[4] ms when ARGV[2] is "1". Numbers travel as 8-byte
// doubles. It returns {0, sum}, {1} for not found or {2} for not a number.
var incrScript = redis.NewScript(`
local k = KEYS[1]
local n = struct.unpack('<d', ARGV[1])
local t = redis.call('TYPE', k).ok
if t == 'none' then
  if ARGV[2] ~= '1' then return {1} end
  local v = struct.pack('<d', struct.unpack('<d', ARGV[3]) + n)
  local ttl = tonumber(ARGV[4])
  if ttl > 0 then
    redis.call('SET', k, 'n\0\0\0\0' .. v, 'PX', ttl)
  else
    redis.call('SET', k, 'n\0\0\0\0' .. v)
  end
  return {0, v}
end
if t ~= 'string' then return {2} end
local cur = redis.call('GET', k)
if string.len(cur) ~= 13 or string.sub(cur, 1, 1) ~= 'n' then return {2} end
local v = struct.pack('<d', struct.unpack('<d', cur, 6) + n)
redis.call('SET', k, string.sub(cur, 1, 5) .. v, 'KEEPTTL')
return {0, v}
`)

// Incr is incr(key, n).
func (d *RedisDict) Incr(key string, n float64) (float64, error) {
	v, _, err := d.incr(key, n, false, 0, 0)
	return v, err
}

// IncrInit is incr(key, n, init, initTTL); forcible is always false.
func (d *RedisDict) IncrInit(key string, n, init float64, initTTL time.Duration) (float64, bool, error) {
	return d.incr(key, n, true, init, initTTL)
}

func (d *RedisDict) incr(key string, n float64, hasInit bool, init float64, initTTL time.Duration) (float64, bool, error) {
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	if initTTL < 0 {
		return 0, false, ErrBadInitTTL
	}
	flag := "0"
	if hasInit {
		flag = "1"
	}
	res, err := incrScript.Run(d.ctx, d.client, []string{d.prefix + key},
		encodeNumber(n), flag, encodeNumber(init), initTTL.Milliseconds()).Slice()
	if err != nil {
		return 0, false, d.wrap("incr", key, err)
	}
	switch code, _ := res[0].(int64); code {
	case 1:
		return 0, false, ErrNotFound
	case 2:
		return 0, false, ErrNotNumber
	}
	sum, ok := res[1].(string)
	if !ok || len(sum) != 8 {
		return 0, false, d.wrap("incr", key, fmt.Errorf("bad script result %v", res))
	}
	return decodeNumber(sum), false, nil
}

// LPush is lpush(key, v).
func (d *RedisDict) LPush(key string, v Value) (int, error) { return d.push("lpush", key, v) }

// RPush is rpush(key, v).
func (d *RedisDict) RPush(key string, v Value) (int, error) { return d.push("rpush", key, v) }

func (d *RedisDict) push(op, key string, v Value) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	if v.kind != KindString && v.kind != KindNumber {
		return 0, ErrBadValueType
	}
	n, err := d.client.Do(d.ctx, op, d.prefix+key, encodeElement(v)).Int64()
	switch {
	case isWrongType(err):
		return 0, ErrNotList
	case err != nil:
		return 0, d.wrap(op, key, err)
	}
	return int(n), nil
}

// LPop is lpop(key).
func (d *RedisDict) LPop(key string) (Value, error) { return d.pop("lpop", key) }

// RPop is rpop(key).
func (d *RedisDict) RPop(key string) (Value, error) { return d.pop("rpop", key) }

func (d *RedisDict) pop(op, key string) (Value, error) {
	if err := checkKey(key); err != nil {
		return Nil, err
	}
	s, err := d.client.Do(d.ctx, op, d.prefix+key).Text()
	switch {
	case err == redis.Nil:
		return Nil, nil
	case isWrongType(err):
		return Nil, ErrNotList
	case err != nil:
		return Nil, d.wrap(op, key, err)
	}
	return decodeElement(s)
}

// LLen is llen(key).
func (d *RedisDict) LLen(key string) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	n, err := d.client.LLen(d.ctx, d.prefix+key).Result()
	switch {
	case isWrongType(err):
		return 0, ErrNotList
	case err != nil:
		return 0, d.wrap("llen", key, err)
	}
	return int(n), nil
}

// TTL is ttl(key); an expired key is gone in Redis, so it is never negative.
func (d *RedisDict) TTL(key string) (time.Duration, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	ms, err := d.client.Do(d.ctx, "pttl", d.prefix+key).Int64()
	switch {
	case err != nil:
		return 0, d.wrap("ttl", key, err)
	case ms == -2:
		return 0, ErrNotFound
	case ms < 0:
		return 0, nil
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// persistScript removes the TTL of KEYS[1]: 1, or 0 when the key is missing.
var persistScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('PERSIST', KEYS[1])
return 1
`)

// Expire is expire(key, exptime); under a millisecond (negative too) removes the TTL.
func (d *RedisDict) Expire(key string, exptime time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	var ok bool
	var err error
	if ms := exptime.Milliseconds(); ms > 0 {
		ok, err = d.client.PExpire(d.ctx, d.prefix+key, time.Duration(ms)*time.Millisecond).Result()
	} else {
		var n int64
		n, err = persistScript.Run(d.ctx, d.client, []string{d.prefix + key}).Int64()
		ok = n == 1
	}
	switch {
	case err != nil:
		return d.wrap("expire", key, err)
	case !ok:
		return ErrNotFound
	}
	return nil
}

// FlushAll is flush_all: it deletes every key of the dict (it cannot leave them stale, and it is
// not atomic with respect to concurrent writers).
func (d *RedisDict) FlushAll() error {
	return d.scan(0, func(keys []string) error {
		return d.client.Unlink(d.ctx, keys...).Err()
	})
}

// FlushExpired is flush_expired: Redis frees expired keys itself, so there is never anything to
// flush and it returns 0.
func (d *RedisDict) FlushExpired(int) (int, error) { return 0, nil }

// GetKeys is get_keys(maxCount): up to maxCount keys (<= 0: all), in Redis' SCAN order rather
// than least recently used first.
func (d *RedisDict) GetKeys(maxCount int) ([]string, error) {
	keys := []string{}
	seen := map[string]bool{}
	errEnough := errors.New("enough")
	err := d.scan(maxCount, func(batch []string) error {
		for _, k := range batch {
			if k = strings.TrimPrefix(k, d.prefix); !seen[k] {
				seen[k] = true
				keys = append(keys, k)
				if maxCount > 0 && len(keys) == maxCount {
					return errEnough
				}
			}
		}
		return nil
	})
	if err != nil && err != errEnough {
		return nil, err
	}
	return keys, nil
}

// scan calls f with batches of the dict's Redis keys.
func (d *RedisDict) scan(hint int, f func([]string) error) error {
	count := int64(1000)
	if hint > 0 && hint < 1000 {
		count = int64(hint)
	}
	var cursor uint64
	for {
		keys, next, err := d.client.Scan(d.ctx, cursor, globEscape(d.prefix)+"*", count).Result()
		if err != nil {
			return d.wrap("scan", d.prefix, err)
		}
		if len(keys) > 0 {
			if err := f(keys); err != nil {
				return err
			}
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}

func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[]\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Capacity returns the capacity given to NewRedis.
func (d *RedisDict) Capacity() int64 { return d.capacity }

// FreeSpace returns Redis' maxmemory less its used_memory (server-wide, not per dict), or
// Capacity when Redis has no maxmemory.
func (d *RedisDict) FreeSpace() (int64, error) {
	info, err := d.client.Info(d.ctx, "memory").Result()
	if err != nil {
		return 0, d.wrap("free_space", "", err)
	}
	used, limit := infoField(info, "used_memory"), infoField(info, "maxmemory")
	if limit == 0 {
		return d.capacity, nil
	}
	return max(0, limit-used), nil
}

func infoField(info, name string) int64 {
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
