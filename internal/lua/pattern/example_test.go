package pattern_test

import (
	"fmt"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua/pattern"
)

func ExampleOpen() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	pattern.Open(l)
	err := glua.DoString(l, `
print(("key = value"):match("(%w+)%s*=%s*(%w+)"))
print(("hello world"):gsub("o", "0"))
print(string.find("a+b", "+", 1, true))
for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do print(k, v) end`)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// key	value
	// hell0 w0rld	2
	// 2	2
	// a	1
	// b	2
}

func ExampleOpenWith() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	pattern.OpenWith(l, pattern.Options{MaxBytes: 8})
	err := glua.DoString(l, `print(pcall(string.gsub, "abcd", "%w", "%0%0%0"))`)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// false	resulting string too large
}

func ExampleMatcher() {
	var m pattern.Matcher
	m.Reset("GET /users/42 HTTP/1.1", "^(%u+) /users/(%d+)()")
	start, end, err := m.Find(0)
	if err != nil || start < 0 {
		fmt.Println("no match", err)
		return
	}
	for i := range m.NumCaptures() {
		c, _ := m.Capture(i)
		if c.Position {
			fmt.Println("position", c.Start+1)
		} else {
			fmt.Println("text", "GET /users/42 HTTP/1.1"[c.Start:c.End])
		}
	}
	fmt.Println(start, end)
	// Output:
	// text GET
	// text 42
	// position 14
	// 0 13
}

func ExampleGsub() {
	s, n, err := pattern.Gsub("hello world", "(%w+)", "<%1>", -1)
	fmt.Println(s, n, err)
	_, _, err = pattern.Gsub("x", "[x", "", -1)
	fmt.Println(err)
	// Output:
	// <hello> <world> 2 <nil>
	// malformed pattern (missing ']')
}
