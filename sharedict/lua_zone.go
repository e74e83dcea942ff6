package sharedict

import (
	"time"

	glua "github.com/Shopify/go-lua"
)

// The operations of a zone at the time the call runs at: a *Dict's At twin with the binding's
// clock when it gives a time, else the Store's own method.

func (z *luaZone) get(l *glua.State, c call, key string) (Value, uint32, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.GetAt(now, key)
	}
	return z.store.Get(key)
}

func (z *luaZone) getStale(l *glua.State, c call, key string) (Value, uint32, bool, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.GetStaleAt(now, key)
	}
	return z.store.GetStale(key)
}

// luaStoreOp is one of the store methods.
type luaStoreOp uint8

const (
	luaSet luaStoreOp = iota
	luaSafeSet
	luaAdd
	luaSafeAdd
	luaReplace
)

func (z *luaZone) put(l *glua.State, c call, op luaStoreOp, key string, v Value, sec float64, flags uint32) (bool, error) {
	exptime := msDuration(sec)
	if exptime < 0 {
		exptime = 0 // what x86-64 makes of NaN or an overflow: nginx stores no expiry
	}
	if now, ok := z.at(l, c); ok {
		switch op {
		case luaSafeSet:
			return z.dict.SafeSetAt(now, key, v, exptime, flags)
		case luaAdd:
			return z.dict.AddAt(now, key, v, exptime, flags)
		case luaSafeAdd:
			return z.dict.SafeAddAt(now, key, v, exptime, flags)
		case luaReplace:
			return z.dict.ReplaceAt(now, key, v, exptime, flags)
		}
		return z.dict.SetAt(now, key, v, exptime, flags)
	}
	switch op {
	case luaSafeSet:
		return z.store.SafeSet(key, v, exptime, flags)
	case luaAdd:
		return z.store.Add(key, v, exptime, flags)
	case luaSafeAdd:
		return z.store.SafeAdd(key, v, exptime, flags)
	case luaReplace:
		return z.store.Replace(key, v, exptime, flags)
	}
	return z.store.Set(key, v, exptime, flags)
}

func (z *luaZone) delete(l *glua.State, c call, key string) error {
	if now, ok := z.at(l, c); ok {
		return z.dict.DeleteAt(now, key)
	}
	return z.store.Delete(key)
}

func (z *luaZone) incr(l *glua.State, c call, key string, n float64) (float64, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.IncrAt(now, key, n)
	}
	return z.store.Incr(key, n)
}

func (z *luaZone) incrInit(l *glua.State, c call, key string, n, init float64, ttl time.Duration) (float64, bool, error) {
	if ttl < 0 {
		ttl = 0 // NaN or an overflow, as in store
	}
	if now, ok := z.at(l, c); ok {
		return z.dict.IncrInitAt(now, key, n, init, ttl)
	}
	return z.store.IncrInit(key, n, init, ttl)
}

func (z *luaZone) push(l *glua.State, c call, left bool, key string, v Value) (int, error) {
	now, at := z.at(l, c)
	switch {
	case at && left:
		return z.dict.LPushAt(now, key, v)
	case at:
		return z.dict.RPushAt(now, key, v)
	case left:
		return z.store.LPush(key, v)
	}
	return z.store.RPush(key, v)
}

func (z *luaZone) pop(l *glua.State, c call, left bool, key string) (Value, error) {
	now, at := z.at(l, c)
	switch {
	case at && left:
		return z.dict.LPopAt(now, key)
	case at:
		return z.dict.RPopAt(now, key)
	case left:
		return z.store.LPop(key)
	}
	return z.store.RPop(key)
}

func (z *luaZone) llen(l *glua.State, c call, key string) (int, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.LLenAt(now, key)
	}
	return z.store.LLen(key)
}

func (z *luaZone) ttl(l *glua.State, c call, key string) (time.Duration, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.TTLAt(now, key)
	}
	return z.store.TTL(key)
}

func (z *luaZone) expire(l *glua.State, c call, key string, exptime time.Duration) error {
	if now, ok := z.at(l, c); ok {
		return z.dict.ExpireAt(now, key, exptime)
	}
	return z.store.Expire(key, exptime)
}

func (z *luaZone) flushExpired(l *glua.State, c call, max int) (int, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.FlushExpiredAt(now, max)
	}
	return z.store.FlushExpired(max)
}

func (z *luaZone) getKeys(l *glua.State, c call, max int) ([]string, error) {
	if now, ok := z.at(l, c); ok {
		return z.dict.GetKeysAt(now, max)
	}
	return z.store.GetKeys(max)
}

// at returns the time for a *Dict's At twin, if the zone is a *Dict and the clock gives one.
func (z *luaZone) at(l *glua.State, c call) (time.Time, bool) {
	if z.dict == nil {
		return time.Time{}, false
	}
	return c.now(l)
}
