package ngxlua

import (
	"errors"
	"net/http"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
)

func reqReadBody(l *glua.State) int {
	checkArgCount(l, 0)
	r := checkPhase(l, inRewrite|inAccess|inContent)
	if err := outside(l, r.ReadBody); err != nil {
		if errors.Is(err, ngx.ErrBodyTooLarge) {
			r.Log(ngx.LevelErr, "client intended to send too large body")
			_ = r.Exit(http.StatusRequestEntityTooLarge)
			abort(l)
		}
		glua.Errorf(l, "%s", "failed to read request body: "+err.Error())
	}
	return 0
}

func reqGetBodyData(l *glua.State) int {
	checkArgCount(l, 0)
	r := checkPhase(l, inRequest)
	if b := r.Body(); len(b) > 0 {
		l.PushString(string(b))
	} else {
		l.PushNil()
	}
	return 1
}

func reqGetBodyFile(l *glua.State) int {
	checkPhase(l, inRewrite|inAccess|inContent)
	l.PushNil() // bodies are kept in memory, never in a temporary file
	return 1
}

func reqSetBodyData(l *glua.State) int {
	checkArgCount(l, 1)
	r := checkPhase(l, inRequest)
	body := checkString(l, 1)
	if !r.BodyRead() {
		glua.Errorf(l, "%s", "request body not read yet")
	}
	r.SetBody([]byte(body))
	delete(r.Ctx(), luaDiscardedKey)
	return 0
}

func reqDiscardBody(l *glua.State) int {
	checkArgCount(l, 0)
	r := checkPhase(l, inRequest)
	r.DiscardBody()
	r.Ctx()[luaDiscardedKey] = true
	return 0
}

// luaDiscardedKey marks, in the request's Go context table, that ngx.req.discard_body ran:
// nginx then has no request body at all, where an empty one was read otherwise.
const luaDiscardedKey = "\x00lua.discarded"

func bodyDiscarded(r *ngx.Request) bool {
	_, ok := r.Ctx()[luaDiscardedKey]
	return ok
}

// reqInitBody is ngx.req.init_body([buffer_size]). Bodies are kept in memory whatever the
// buffer size, which is checked as lua-nginx-module checks it and otherwise unused.
func reqInitBody(l *glua.State) int {
	n := l.Top()
	if n > 1 {
		glua.Errorf(l, "expecting 0 or 1 argument but seen %d", n)
	}
	r := checkPhase(l, inRequest)
	if !r.BodyRead() {
		glua.Errorf(l, "%s", ngx.ErrBodyNotRead.Error())
	}
	if n == 1 {
		if size := glua.CheckInteger(l, 1); size < 0 {
			glua.Errorf(l, "bad size argument: %d", size)
		}
	}
	if err := r.InitBody(); err != nil {
		glua.Errorf(l, "%s", err.Error())
	}
	delete(r.Ctx(), luaDiscardedKey)
	return 0
}

// reqAppendBody is ngx.req.append_body(data).
func reqAppendBody(l *glua.State) int {
	checkArgCount(l, 1)
	r := checkPhase(l, inRequest)
	data := checkString(l, 1)
	if err := r.AppendBody([]byte(data)); err != nil {
		glua.Errorf(l, "%s", err.Error())
	}
	return 0
}

// reqFinishBody is ngx.req.finish_body().
func reqFinishBody(l *glua.State) int {
	if n := l.Top(); n != 0 {
		glua.Errorf(l, "expecting 0 argument but seen %d", n)
	}
	r := checkPhase(l, inRequest)
	if err := r.FinishBody(); err != nil {
		glua.Errorf(l, "%s", err.Error())
	}
	return 0
}

// reqSetBodyFile is ngx.req.set_body_file, which goresty does not offer: it would read, and
// with auto_clean delete, a file of the server's, which Lua code here cannot do (io.open and
// os.remove are disabled too).
func reqSetBodyFile(l *glua.State) int {
	checkPhase(l, inRequest)
	glua.Errorf(l, "%s", "ngx.req.set_body_file is disabled in goresty: it would read and delete files of the "+
		"server process; use ngx.req.set_body_data")
	return 0
}
