// Package corpus is the differential test corpus of the Lua engine: small Lua programs whose
// printed output under goresty's engine must equal their output under the reference
// interpreters.
//
// Programs live in testdata/<name>.lua (Lua 5.2, reference /usr/bin/lua5.2) and
// testdata/luajit/<name>.lua (LuaJIT/Lua 5.1 names OpenResty code uses, reference luajit from
// Debian's luajit2 package). Each program's expected output is committed next to it as
// <name>.out, produced by the reference with TZ=UTC. Regenerate them with
//
//	go generate ./internal/lua/corpus/
//
// The tests re-run the reference interpreters when they are installed and check that the
// committed outputs still match, and run every program under the engine and compare.
package corpus

//go:generate go run ./cmd/regen -root testdata
