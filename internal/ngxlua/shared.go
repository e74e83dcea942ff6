package ngxlua

import (
	glua "github.com/Shopify/go-lua"
)

// openShared pushes ngx.shared: looking up a name asks lookup, which pushes the dict object or
// reports it unknown (nil, as OpenResty's ngx.shared.NAME for an undeclared dict).
func openShared(l *glua.State, lookup func(l *glua.State, name string) bool) {
	l.NewTable()
	if lookup == nil {
		return
	}
	l.CreateTable(0, 1)
	l.PushGoFunction(func(l *glua.State) int {
		name, ok := l.ToString(2)
		if !ok || !lookup(l, name) {
			l.PushNil()
			return 1
		}
		// Cache the dict object in ngx.shared so later lookups are plain table reads.
		l.PushValue(2)
		l.PushValue(-2)
		l.RawSet(1)
		return 1
	})
	l.SetField(-2, "__index")
	l.SetMetaTable(-2)
}
