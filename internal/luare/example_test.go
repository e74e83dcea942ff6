package luare_test

import (
	"fmt"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/luare"
)

func Example() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	l.NewTable()
	luare.Open(l)
	l.SetField(-2, "re")
	l.SetGlobal("ngx")
	l.Register("say", func(l *glua.State) int {
		n := l.Top()
		for i := 1; i <= n; i++ {
			s, _ := glua.ToStringMeta(l, i)
			l.Pop(1)
			fmt.Print(s, map[bool]string{true: "\n", false: " "}[i == n])
		}
		return 0
	})
	err := glua.DoString(l, `
		local m = ngx.re.match("hello, 1234", [[(?<word>\w+), (\d+)]], "jo")
		say(m[0], m.word, m[2])
		say(ngx.re.find("hello, 1234", [[\d+]], "jo"))
		say(ngx.re.gsub("a-b-c", "-", "+"))
		for w in ngx.re.gmatch("one two", [[\w+]]) do say(w[0]) end
		say(ngx.re.match("x", "("))
	`)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// hello, 1234 hello 1234
	// 8 11
	// a+b+c 2
	// one
	// two
	// nil pcre_compile() failed: missing ) in "("
}

func ExampleGsub() {
	s, n, err := luare.Gsub("2024-01-02", `(\d+)-(\d+)-(\d+)`, "$3/$2/$1", "jo")
	fmt.Println(s, n, err)
	// Output: 02/01/2024 1 <nil>
}

func ExampleRegex_Exec() {
	re, _ := luare.Compile(`([^@\s]+)@(\w+)`, "u")
	sub, _ := re.Prepare("mail: ünï@host")
	ovec, _ := re.Exec(sub, 0)
	fmt.Println(ovec) // byte offsets, even in UTF-8 mode
	// Output: [6 16 6 11 12 16]
}
