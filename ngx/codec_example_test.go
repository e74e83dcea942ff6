package ngx_test

import (
	"fmt"
	"time"

	"github.com/goresty/goresty/ngx"
)

func ExampleEscapeURI() {
	fmt.Println(ngx.EscapeURI("a b/ü?x=1", true))  // ngx.escape_uri(s)
	fmt.Println(ngx.EscapeURI("a b/ü?x=1", false)) // ngx.escape_uri(s, 0)
	fmt.Println(ngx.UnescapeURI("a+b%2F%C3%BC%zz"))
	// Output:
	// a%20b%2F%C3%BC%3Fx%3D1
	// a%20b/%C3%BC%3Fx=1
	// a b/ü%zz
}

func ExampleEncodeArgs() {
	// ngx.encode_args({q = "go lua", page = 2, debug = true, tag = {"a", "b"}}), in pairs order.
	fmt.Println(ngx.EncodeArgs([]ngx.Arg{
		{Key: "q", Value: "go lua"},
		{Key: "page", Value: "2"},
		{Key: "debug", KeyOnly: true},
		{Key: "tag", Value: "a"},
		{Key: "tag", Value: "b"},
	}))
	// Output:
	// q=go%20lua&page=2&debug&tag=a&tag=b
}

func ExampleDecodeArgs() {
	args, truncated := ngx.DecodeArgs("q=go+lua&debug&=skipped&tag=a&tag=b", 100)
	for _, a := range args {
		fmt.Printf("%q %q key only: %v\n", a.Key, a.Value, a.KeyOnly)
	}
	fmt.Println("truncated:", truncated)
	// Output:
	// "q" "go lua" key only: false
	// "debug" "" key only: true
	// "tag" "a" key only: false
	// "tag" "b" key only: false
	// truncated: false
}

func ExampleHTTPTime() {
	t := time.Unix(1290079655, 0)
	fmt.Println(ngx.HTTPTime(t))
	fmt.Println(ngx.CookieTime(t))
	parsed, ok := ngx.ParseHTTPTime("Thursday, 18-Nov-10 11:27:35 GMT")
	fmt.Println(parsed.Unix(), ok)
	// Output:
	// Thu, 18 Nov 2010 11:27:35 GMT
	// Thu, 18-Nov-10 11:27:35 GMT
	// 1290079655 true
}

func ExampleClock() {
	now := time.Unix(1290079655, 250_000_000)
	c := &ngx.Clock{Source: func() time.Time { return now }}
	c.Set(now) // the request's start time
	now = now.Add(2 * time.Second)
	fmt.Printf("%.3f %d\n", c.Now(), c.Time()) // ngx.now(), ngx.time(): still the cached time
	c.Update()                                 // ngx.update_time(), or after a yield
	fmt.Printf("%.3f %d\n", c.Now(), c.Time())
	// Output:
	// 1290079655.250 1290079655
	// 1290079657.250 1290079657
}

func ExampleDecodeBase64() {
	for _, s := range []string{"aGVsbG8=", "aGVsbG8", "aGVs bG8=", "aGVsbG8-"} {
		got, ok := ngx.DecodeBase64(s)
		fmt.Printf("%q %v\n", got, ok)
	}
	// Output:
	// "hello" true
	// "hello" true
	// "" false
	// "" false
}
