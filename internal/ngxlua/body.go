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
