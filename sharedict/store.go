package sharedict

import "time"

// Store is the method set of ngx.shared.DICT, which both *Dict (in this process) and *RedisDict
// (a fleet) implement, so that rate limiters and the Lua binding work on either. Results follow
// OpenResty: a missing key is a nil Value, not an error; the errors are this package's *Error
// values (ErrExists, ErrNotFound...) whose Error() is OpenResty's string, except transport errors
// of a RedisDict, which wrap the Redis client's error.
//
// Calls take no context, as the Lua methods do not; a RedisDict is bound to a context with
// WithContext, and its client's timeouts bound every call.
type Store interface {
	Get(key string) (Value, uint32, error)
	GetStale(key string) (v Value, flags uint32, stale bool, err error)
	Set(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error)
	SafeSet(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error)
	Add(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error)
	SafeAdd(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error)
	Replace(key string, v Value, exptime time.Duration, flags uint32) (forcible bool, err error)
	Delete(key string) error
	Incr(key string, n float64) (float64, error)
	IncrInit(key string, n, init float64, initTTL time.Duration) (v float64, forcible bool, err error)
	LPush(key string, v Value) (int, error)
	RPush(key string, v Value) (int, error)
	LPop(key string) (Value, error)
	RPop(key string) (Value, error)
	LLen(key string) (int, error)
	TTL(key string) (time.Duration, error)
	Expire(key string, exptime time.Duration) error
	FlushAll() error
	FlushExpired(maxCount int) (int, error)
	GetKeys(maxCount int) ([]string, error)
	Capacity() int64
	FreeSpace() (int64, error)
}

var _ Store = (*Dict)(nil)
