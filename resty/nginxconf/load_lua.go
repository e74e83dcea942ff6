package nginxconf

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// luaPhaseOf maps a *_by_lua family to its phase.
var luaPhaseOf = map[string]ngx.Phase{
	"init_by_lua":          ngx.PhaseInit,
	"init_worker_by_lua":   ngx.PhaseInitWorker,
	"set_by_lua":           ngx.PhaseSet,
	"rewrite_by_lua":       ngx.PhaseRewrite,
	"access_by_lua":        ngx.PhaseAccess,
	"content_by_lua":       ngx.PhaseContent,
	"header_filter_by_lua": ngx.PhaseHeaderFilter,
	"body_filter_by_lua":   ngx.PhaseBodyFilter,
	"log_by_lua":           ngx.PhaseLog,
}

// luaHook builds the hook of a *_by_lua, *_by_lua_block or *_by_lua_file directive, named as
// OpenResty names its chunk: "content_by_lua(nginx.conf:12)" after the line of the block's "{"
// or of the string form's ";", and "@/path/to/file.lua" for files.
func (ld *loader) luaHook(d *Directive) (resty.Hook, error) {
	fam, _ := luaFamily(d.Name)
	hk := resty.Hook{Phase: luaPhaseOf[fam]}
	args := d.Args
	if fam == "set_by_lua" {
		if !strings.HasPrefix(args[0], "$") || len(args[0]) == 1 {
			return hk, d.Errorf("invalid variable name %q", args[0])
		}
		hk.Var, args = args[0][1:], args[1:]
	}
	switch {
	case d.Lua != nil:
		if d.Lua.Source == "" {
			return hk, d.Errorf("invalid location config: no runnable Lua code")
		}
		hk.Lua = d.Lua.Source
		hk.Name = chunkName(fam, d.File, d.Lua.Line)
	case strings.HasSuffix(d.Name, "_file"):
		if strings.Contains(args[0], "$") {
			return hk, d.Errorf("variables in the path of %q are not supported yet", d.Name)
		}
		hk.LuaFile = ld.path(args[0])
		args = args[1:]
	default:
		if args[0] == "" {
			return hk, d.Errorf("invalid location config: no runnable Lua code")
		}
		hk.Lua = args[0]
		hk.Name = chunkName(fam, d.File, stringFormLine(d))
		args = args[1:]
	}
	if err := checkLua(d, hk); err != nil {
		return hk, err
	}
	if fam == "set_by_lua" {
		for _, a := range args {
			if _, err := ld.compile(d, a, nil); err != nil {
				return hk, err
			}
		}
		hk.Args = args
	} else if len(args) > 0 && d.Lua == nil {
		return hk, d.Errorf("invalid number of arguments in %q directive", d.Name)
	}
	return hk, nil
}

// checkLua compiles a hook's code so that a syntax error names the directive; resty compiles
// it again when it builds the handler.
func checkLua(d *Directive, hk resty.Hook) error {
	src, name := hk.Lua, hk.Name
	if hk.LuaFile != "" {
		b, err := os.ReadFile(hk.LuaFile)
		if err != nil {
			return d.Errorf("failed to load external Lua file %q: %s", hk.LuaFile, errnoText(err))
		}
		src, name = string(b), "@"+hk.LuaFile
	}
	if _, err := lua.Compile(name, src); err != nil {
		return d.Errorf("failed to load Lua code: %v", err)
	}
	return nil
}

// chunkName is OpenResty's name of an inline chunk; the "=" makes Lua print it verbatim.
func chunkName(family, file string, line int) string {
	return "=" + family + "(" + filepath.Base(file) + ":" + strconv.Itoa(line) + ")"
}

// stringFormLine is the line of the ";" ending a string-form directive, which OpenResty names
// the chunk after. The parser keeps the line of the name only: the newlines inside the
// arguments are added, which is exact unless a line break separates arguments.
func stringFormLine(d *Directive) int {
	n := d.Line
	for _, a := range d.Args {
		n += strings.Count(a, "\n")
	}
	return n
}
