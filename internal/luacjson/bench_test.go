package luacjson

import (
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"
)

// typicalJSON is a 1 KB API response: nested objects, arrays, strings, numbers, booleans, null.
const typicalJSON = `{"id":12345,"name":"goresty benchmark user","email":"user@example.com",` +
	`"active":true,"score":98.6,"tags":["alpha","beta","gamma","delta"],"address":{"street":` +
	`"1 Main St","city":"Springfield","zip":"12345","geo":{"lat":40.7128,"lng":-74.006}},` +
	`"orders":[{"id":1,"total":19.99,"items":["book","pen"],"paid":true},{"id":2,"total":5.5,` +
	`"items":["cup"],"paid":false},{"id":3,"total":120,"items":["lamp","bulb","cable"],"paid":true}],` +
	`"prefs":{"theme":"dark","lang":"en-US","notifications":{"email":true,"sms":false,"push":null}},` +
	`"bio":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ` +
	`ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco ` +
	`laboris nisi ut aliquip ex ea commodo consequat.","created":"2024-01-02T03:04:05Z",` +
	`"updated":"2024-06-07T08:09:10Z","friends":[101,102,103,104,105,106,107,108,109,110],` +
	`"ratio":0.333333333333,"url":"https://example.com/users/12345","roles":["admin","editor","viewer","auditor"],"locale":"en"}`

func benchState(b *testing.B) *glua.State {
	l := glua.NewState()
	glua.OpenLibraries(l)
	glua.Require(l, "cjson", Open, true)
	l.Pop(1)
	return l
}

func BenchmarkDecode(b *testing.B) {
	require.InDelta(b, 1024, len(typicalJSON), 64)
	l := benchState(b)
	l.Global("cjson")
	l.Field(-1, "decode")
	b.SetBytes(int64(len(typicalJSON)))
	b.ReportAllocs()
	for b.Loop() {
		l.PushValue(-1)
		l.PushString(typicalJSON)
		l.Call(1, 1)
		l.Pop(1)
	}
}

func BenchmarkEncode(b *testing.B) {
	l := benchState(b)
	l.Global("cjson")
	l.Field(-1, "encode")
	l.Field(-2, "decode")
	l.PushString(typicalJSON)
	l.Call(1, 1) // cjson, encode, value
	b.SetBytes(int64(len(typicalJSON)))
	b.ReportAllocs()
	for b.Loop() {
		l.PushValue(-2)
		l.PushValue(-2)
		l.Call(1, 1)
		l.Pop(1)
	}
}
