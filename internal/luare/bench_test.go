package luare

import (
	"testing"

	glua "github.com/Shopify/go-lua"
)

const benchSubject = "GET /api/v1/users/12345/orders?limit=10&offset=20 HTTP/1.1"

func BenchmarkLuaMatchCached(b *testing.B) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	Open(l)
	l.Field(-1, "match")
	b.ReportAllocs()
	for b.Loop() {
		l.PushValue(-1)
		l.PushString(benchSubject)
		l.PushString(`^(\w+) /api/v(\d+)/users/(?<id>\d+)`)
		l.PushString("jo")
		l.Call(3, 1)
		l.Pop(1)
	}
}

func BenchmarkExecCached(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		re, err := Compile(`^(\w+) /api/v(\d+)/users/(?<id>\d+)`, "jo")
		if err != nil {
			b.Fatal(err)
		}
		if ovec, _ := re.ExecString(benchSubject, 0); ovec == nil {
			b.Fatal("no match")
		}
	}
}

func BenchmarkGsub(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Gsub(benchSubject, `\d+`, "N", "jo"); err != nil {
			b.Fatal(err)
		}
	}
}
