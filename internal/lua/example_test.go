package lua_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// The shortest complete use: compile once, run on a state of the engine.
func Example() {
	chunk, err := lua.Compile("hello.lua", `print("hello " .. who)`)
	if err != nil {
		panic(err)
	}
	engine, err := lua.NewEngine(lua.Config{
		Timeout: time.Second,
		Print:   func(line string) { fmt.Println(line) },
		Setup: func(s *lua.State) error {
			s.L.PushString("world")
			s.L.SetGlobal("who")
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	defer engine.Close()

	ctx := context.Background()
	s, err := engine.Acquire(ctx)
	if err != nil {
		panic(err)
	}
	defer engine.Release(s)
	if err := s.Exec(ctx, chunk, 0); err != nil {
		panic(err)
	}
	// Output: hello world
}

// An uncaught Lua error comes back as *lua.Error, with the error value and a traceback.
func ExampleError() {
	chunk, _ := lua.Compile("handler.lua", "local function check(n)\n  if n > 1 then error('too big: ' .. n) end\nend\ncheck(2)")
	engine, _ := lua.NewEngine(lua.Config{})
	defer engine.Close()
	s, _ := engine.Acquire(context.Background())
	defer engine.Release(s)

	err := s.Exec(context.Background(), chunk, 0)
	var le *lua.Error
	if errors.As(err, &le) {
		fmt.Println(le.Message)
		fmt.Println(le.Traceback != "")
	}
	// Output:
	// handler.lua:2: too big: 2
	// true
}

// Abort ends a script from a Go function; pcall cannot catch it and Exec returns the error.
func ExampleAbort() {
	errDenied := errors.New("access denied")
	engine, _ := lua.NewEngine(lua.Config{
		Setup: func(s *lua.State) error {
			s.L.Register("deny", func(l *glua.State) int {
				lua.Abort(l, errDenied)
				return 0
			})
			return nil
		},
	})
	defer engine.Close()
	chunk, _ := lua.Compile("access.lua", `pcall(deny) print("not reached")`)
	s, _ := engine.Acquire(context.Background())
	defer engine.Release(s)

	err := s.Exec(context.Background(), chunk, 0)
	fmt.Println(err == errDenied)
	// Output: true
}

// Coroutines work as in Lua 5.2, each running on its own goroutine.
func ExampleState_Exec_coroutines() {
	chunk, _ := lua.Compile("gen.lua", `
local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i * 10) end
end)
return gen() + gen() + gen()`)
	engine, _ := lua.NewEngine(lua.Config{})
	defer engine.Close()
	s, _ := engine.Acquire(context.Background())
	defer engine.Release(s)

	if err := s.Exec(context.Background(), chunk, 1); err != nil {
		panic(err)
	}
	n, _ := s.L.ToNumber(-1)
	fmt.Println(n)
	// Output: 60
}

// Init runs once, like init_by_lua; each state starts from its own copy of what it left, and
// built-in modules are found where ";;" stands in the package path.
func ExampleConfig_init() {
	init, _ := lua.Compile("init.lua", `
local json = require("json")
hits = 0
function greet(who) hits = hits + 1 return json.wrap("hello " .. who) .. " #" .. hits end`)
	engine, err := lua.NewEngine(lua.Config{
		MaxStates:   2,
		Print:       func(line string) { fmt.Println(line) },
		PackagePath: "/srv/lua/?.lua;;",
		Modules: map[string]glua.Function{"json": func(l *glua.State) int {
			l.NewTable()
			l.PushGoFunction(func(l *glua.State) int {
				l.PushString(`"` + glua.CheckString(l, 1) + `"`)
				return 1
			})
			l.SetField(-2, "wrap")
			return 1
		}},
		Init: []*lua.Chunk{init},
	})
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	chunk, _ := lua.Compile("content.lua", `print(greet("world"))`)
	ctx := context.Background()
	a, _ := engine.Acquire(ctx)
	b, _ := engine.Acquire(ctx)
	defer engine.Release(a)
	defer engine.Release(b)
	for _, s := range []*lua.State{a, a, b} {
		if err := s.Exec(ctx, chunk, 0); err != nil {
			panic(err)
		}
	}
	// Output:
	// "hello world" #1
	// "hello world" #2
	// "hello world" #1
}

// Wait gives a state's VM up while a Go function waits outside Lua, as ngx.sleep does, so the
// other states of the VM run meanwhile: here two requests on one VM.
func ExampleWait() {
	lines := make(chan string, 4)
	release := make(chan struct{})
	engine, err := lua.NewEngine(lua.Config{
		Workers: 1,
		Print:   func(line string) { lines <- line },
		Setup: func(s *lua.State) error {
			s.L.Register("wait", func(l *glua.State) int {
				lua.Wait(l, func() { <-release })
				return 0
			})
			s.L.Register("wake", func(l *glua.State) int {
				close(release)
				return 0
			})
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	run := func(name, source string) {
		s, err := engine.Acquire(context.Background())
		if err != nil {
			panic(err)
		}
		defer engine.Release(s)
		c, err := lua.Compile(name, source)
		if err != nil {
			panic(err)
		}
		if err := s.Exec(context.Background(), c, 0); err != nil {
			panic(err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		run("a.lua", `print("a waits") wait() print("a woke")`)
	}()
	fmt.Println(<-lines)
	run("b.lua", `print("b runs meanwhile") wake()`)
	<-done
	close(lines)
	for line := range lines {
		fmt.Println(line)
	}
	// Output:
	// a waits
	// b runs meanwhile
	// a woke
}
