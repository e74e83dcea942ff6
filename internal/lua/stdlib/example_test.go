package stdlib_test

import (
	"fmt"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua/stdlib"
)

func ExampleOpen() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	stdlib.Open(l, stdlib.Options{
		Print:    func(line string) { fmt.Println(line) },
		MaxBytes: 1 << 20,
		Now:      func() time.Time { return time.Unix(1700000000, 0) },
	})
	err := glua.DoString(l, `
		print(table.concat({1, 2, 3}, ", "))
		print(string.format("%5.1f|%x|%s|%d", math.pi, 255, 1/0, 3.0))
		print(os.date("!%Y-%m-%d %H:%M:%S"), os.time{year = 2023, month = 11, day = 14, hour = 22, min = 13, sec = 20})
		print(bit.tohex(bit.bxor(0xff, 0x0f)), bit.lshift(1, 31))
		print(pcall(os.exit))
	`)
	fmt.Println(err)
	// Output:
	// 1, 2, 3
	//   3.1|ff|inf|3
	// 2023-11-14 22:13:20	1700000000
	// 000000f0	-2147483648
	// false	os.exit is disabled in goresty: it would act on the whole server process
	// <nil>
}

func ExampleOptions_maxBytes() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	stdlib.Open(l, stdlib.Options{Print: func(line string) { fmt.Println(line) }, MaxBytes: 1000})
	err := glua.DoString(l, `
		print(#string.rep("x", 1000))
		print(pcall(string.rep, "x", 1001))
	`)
	fmt.Println(err)
	// Output:
	// 1000
	// false	resulting string too large
	// <nil>
}

// Fields may be cleared during a traversal, and each step costs the same however large the
// table; numbers print as Lua 5.2 prints them.
func ExampleOpen_traversal() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	stdlib.Open(l, stdlib.Options{Print: func(line string) { fmt.Println(line) }})
	err := glua.DoString(l, `
		local t = {}
		for i = 1, 10000 do t["k" .. i] = i end
		local sum = 0
		for k, v in pairs(t) do sum = sum + v; t[k] = nil end
		print(sum, next(t))
		print(math.huge, math.sqrt(-1), math.log10(1000), math.pow(10, 15) == 1e15)
	`)
	fmt.Println(err)
	// Output:
	// 50005000	nil
	// inf	-nan	3	true
	// <nil>
}
