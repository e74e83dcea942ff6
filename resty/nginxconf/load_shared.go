package nginxconf

import (
	"sync"

	"github.com/goresty/goresty/sharedict"
)

// zones are the shared dicts of a configuration and of those that replace it: as nginx keeps
// a shared memory zone across reloads when its name and size stay the same, a Config loaded
// with LoadOptions.Previous takes over the dicts of the one it replaces. A dict is closed when
// the last Config holding it is closed.
type zones struct {
	mu sync.Mutex
	m  map[string]*zone
}

type zone struct {
	dict *sharedict.Dict
	size int64
	use  string // the directive that declares it: lua_shared_dict or limit_req_zone
	key  string // limit_req_zone's key, as written
	refs int
}

func newZones() *zones { return &zones{m: map[string]*zone{}} }

// acquire returns the dict of name, size and use, the one already there when they are the
// same.
func (z *zones) acquire(name string, size int64, use string) (*zone, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if old, ok := z.m[name]; ok && old.size == size && old.use == use && old.refs > 0 {
		old.refs++
		return old, nil
	}
	d, err := sharedict.New(name, size)
	if err != nil {
		return nil, err
	}
	nz := &zone{dict: d, size: size, use: use, refs: 1}
	z.m[name] = nz
	return nz, nil
}

// release lets go of a zone; the last holder closes its dict.
func (z *zones) release(zn *zone) {
	z.mu.Lock()
	defer z.mu.Unlock()
	zn.refs--
	if zn.refs > 0 {
		return
	}
	zn.dict.Close()
	if z.m[zn.dict.Name()] == zn {
		delete(z.m, zn.dict.Name())
	}
}

// SharedDict returns the dict of lua_shared_dict name, nil when there is none. Go code (hooks,
// limiters) uses it to share data with Lua's ngx.shared.NAME.
func (c *Config) SharedDict(name string) *sharedict.Dict {
	if zn, ok := c.held[name]; ok {
		return zn.dict
	}
	return nil
}

// storeMap is the dicts in the form resty.Config.SharedDicts takes.
func (c *Config) storeMap() map[string]sharedict.Store {
	if len(c.held) == 0 {
		return nil
	}
	m := make(map[string]sharedict.Store, len(c.held))
	for name, zn := range c.held {
		m[name] = zn.dict
	}
	return m
}

// releaseZones lets go of the configuration's dicts.
func (c *Config) releaseZones() {
	for name, zn := range c.held {
		c.zones.release(zn)
		delete(c.held, name)
	}
	for name, lz := range c.limitZones {
		c.zones.release(lz.zn)
		delete(c.limitZones, name)
	}
}
