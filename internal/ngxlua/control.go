package ngxlua

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// redirect implements ngx.redirect(uri, status?).
func redirect(l *glua.State) int {
	n := l.Top()
	if n != 1 && n != 2 {
		glua.Errorf(l, "%s", "expecting one or two arguments")
	}
	uri := checkString(l, 1)
	status := http.StatusFound
	if n == 2 {
		switch status = checkInt(l, 2); status {
		case 301, 302, 303, 307, 308:
		default:
			glua.Errorf(l, "%s", "only ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_MOVED_PERMANENTLY, "+
				"ngx.HTTP_PERMANENT_REDIRECT, ngx.HTTP_SEE_OTHER, and ngx.HTTP_TEMPORARY_REDIRECT are allowed")
		}
	}
	r := checkPhase(l, inOutput)
	checkSafeURI(l, uri, "redirect uri", "")
	if r.HeadersSent() {
		glua.Errorf(l, "%s", "attempt to call ngx.redirect after sending out the headers")
	}
	if err := r.Redirect(uri, status); err != ngx.ErrExit {
		raise(l, err)
	}
	abort(l)
	return 0
}

// execLocation implements ngx.exec(uri, args?): an internal redirect to uri (a path with
// optional ?args, or a named location "@name"). Without args the request's arguments are
// dropped, as in OpenResty; args (string or table) are appended to those in uri.
func execLocation(l *glua.State) int {
	n := l.Top()
	if n != 1 && n != 2 {
		glua.Errorf(l, "%s", "expecting one or two arguments, but got "+strconv.Itoa(n))
	}
	uri := checkString(l, 1)
	if uri == "" {
		glua.Errorf(l, "%s", "The uri argument is empty")
	}
	r := checkPhase(l, inOutput)
	var userArgs string
	switch l.TypeOf(2) {
	case glua.TypeNone, glua.TypeNil:
	case glua.TypeString, glua.TypeNumber:
		userArgs = toString(l, 2)
	case glua.TypeTable:
		userArgs = encodeArgsTable(l, 2)
	default:
		argError(l, 2, "string, number, or table expected, but got "+typeName(l, 2))
	}
	if strings.HasPrefix(uri, "@") {
		checkNotSent(l, r)
		if userArgs != "" {
			r.Log(ngx.LevelWarn, "query strings "+userArgs+" ignored when exec'ing named location "+uri)
		}
		_ = r.Exec(uri)
		abort(l)
	}
	path, args, _ := strings.Cut(uri, "?")
	if unsafeURI(path) {
		r.Log(ngx.LevelErr, "unsafe URI \""+uri+"\" was detected")
		glua.Errorf(l, "%s", "unsafe uri")
	}
	switch {
	case args == "":
		args = userArgs
	case userArgs != "":
		args += "&" + userArgs
	}
	checkNotSent(l, r)
	_ = r.ExecArgs(path, args, true)
	abort(l)
	return 0
}

func checkNotSent(l *glua.State, r *ngx.Request) {
	if r.HeadersSent() {
		glua.Errorf(l, "%s", "attempt to call ngx.exec after sending out response headers")
	}
}

// unsafeURI reports what nginx's ngx_http_parse_unsafe_uri refuses: a NUL byte, or a ".."
// path segment.
func unsafeURI(path string) bool {
	if strings.IndexByte(path, 0) >= 0 {
		return true
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// sleep implements ngx.sleep(seconds). When the client goes away meanwhile, the request ends as
// OpenResty ends it with lua_check_client_abort on: status 499, the hook aborted.
func sleep(l *glua.State) int {
	if n := l.Top(); n != 1 {
		glua.Errorf(l, "%s", "attempt to pass "+strconv.Itoa(n)+" arguments, but accepted 1")
	}
	ms := int64(checkNumber(l, 1) * 1000)
	if ms < 0 {
		glua.Errorf(l, "%s", "invalid sleep duration \""+strconv.FormatInt(ms, 10)+"\"")
	}
	r := checkPhase(l, inOutput|inTimer)
	d := time.Duration(ms) * time.Millisecond
	var gone <-chan struct{} // the client went away (none in a timer)
	if r != nil {
		gone = r.Context().Done()
	}
	stop := interrupted(l) // a killed light thread, or ngx.exit in another
	woke := true
	lua.Wait(l, func() {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-stop:
		case <-gone:
			woke = false
		}
	})
	if r == nil {
		return 0
	}
	if !woke {
		r.Log(ngx.LevelInfo, "client prematurely closed connection")
		_ = r.Exit(statusClientClosed)
		abort(l)
	}
	r.Clock().Update()
	return 0
}

// outside runs f, which waits on the client (reading the request body, writing the response,
// which may block on a slow client), with the Lua VM given up meanwhile (lua.Wait), so that the
// VM's other requests run; it returns f's error. Filters f runs in Lua take the VM back.
func outside(l *glua.State, f func() error) error {
	var err error
	lua.Wait(l, func() { err = f() })
	return err
}

// writing is outside for writing the response, which OpenResty does without yielding: the
// request's other light threads do not run meanwhile (lua.WaitQuiet).
func writing(l *glua.State, f func() error) error {
	var err error
	lua.WaitQuiet(l, func() { err = f() })
	return err
}

// statusClientClosed is nginx's 499: the client closed the connection.
const statusClientClosed = 499

// checkString is luaL_checklstring: strings and numbers (as LuaJIT prints them).
func checkString(l *glua.State, arg int) string {
	switch l.TypeOf(arg) {
	case glua.TypeString, glua.TypeNumber:
		return toString(l, arg)
	}
	typeError(l, arg, "string")
	return ""
}

// onAbort is ngx.on_abort(callback). goresty has lua_check_client_abort off, OpenResty's
// default, so it answers as OpenResty then does, whatever the argument: nil and
// "lua_check_client_abort is off".
func onAbort(l *glua.State) int {
	checkPhase(l, inOutput)
	l.PushNil()
	l.PushString("lua_check_client_abort is off")
	return 2
}

// checkSafeURI raises OpenResty's error for a URI with a byte that could break a header line
// (lineBreaking), naming it; what says what the URI is for ("redirect uri", "uri").
func checkSafeURI(l *glua.State, uri, what, hint string) {
	for i := 0; i < len(uri); i++ {
		if lineBreaking[uri[i]] {
			glua.Errorf(l, "%s", fmt.Sprintf("unsafe byte \"0x%02x\" in %s \"%s\"%s", uri[i], what, quoteUnsafe(uri), hint))
		}
	}
}

// quoteUnsafe writes the unsafe bytes of uri as \xHH, as OpenResty's error message shows them.
func quoteUnsafe(uri string) string {
	var b strings.Builder
	for i := 0; i < len(uri); i++ {
		if c := uri[i]; lineBreaking[c] {
			fmt.Fprintf(&b, "\\x%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
