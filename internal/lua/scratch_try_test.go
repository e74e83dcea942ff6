package lua

import (
	"os"
	"time"
	"testing"
)

func TestScratchTry(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("LUAFILE"))
	e, p := newTestEngine(t, Config{MaxStates: 1, Timeout: 5 * time.Second})
	out, err := runLua(t, e, p, "t.lua", string(src))
	os.WriteFile("/tmp/try.out", []byte(out), 0o644)
	if err != nil {
		t.Logf("ERR %v", err)
		if le, ok := err.(*Error); ok { t.Logf("TB %s", le.Traceback) }
	}
}
