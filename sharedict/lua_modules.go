package sharedict

import (
	_ "embed"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

//go:embed lock.lua
var lockSource string

// lockChunk is resty.lock, compiled once for every Handler.
var lockChunk = func() *lua.Chunk {
	c, err := lua.Compile("@resty/lock.lua", lockSource)
	if err != nil {
		panic(err)
	}
	return c
}()

// LuaModules returns the loaders of the Lua modules built on shared dicts, by name, for a
// Handler to offer to require (after the user's lua_package_path, so that a user's own copy
// wins): resty.lock, lua-resty-lock 0.09's locks on ngx.shared dicts (lock.lua), whose original
// needs LuaJIT's FFI.
func LuaModules() map[string]glua.Function {
	return map[string]glua.Function{"resty.lock": lua.SourceModule(lockChunk)}
}
