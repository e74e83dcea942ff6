package cache

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkResponsesHit is a request answered from the response cache (a 1 KiB body with
// three header fields); BenchmarkResponsesOrigin, beside it, is the same response written by
// the handler itself, and BenchmarkResponsesMiss one that misses every time (a fetch that is
// not stored: the cost the cache adds to an uncacheable response).
func BenchmarkResponsesHit(b *testing.B) {
	rc, h := benchResponses(b, "max-age=3600")
	defer rc.Close()
	benchServe(b, h)
}

func BenchmarkResponsesMiss(b *testing.B) {
	rc, h := benchResponses(b, "no-store")
	defer rc.Close()
	benchServe(b, h)
}

func BenchmarkResponsesOrigin(b *testing.B) {
	_, h := benchResponses(b, "")
	benchServe(b, h)
}

func benchResponses(b *testing.B, cc string) (*Responses, http.Handler) {
	body := bytes.Repeat([]byte("x"), 1024)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/plain"}
		h["Cache-Control"] = []string{cc}
		h["Etag"] = []string{`"v1"`}
		_, _ = w.Write(body)
	})
	if cc == "" {
		return nil, app
	}
	rc, err := NewResponses(ResponsesOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return rc, rc.Handler(Policy{}, app)
}

// benchWriter is a reusable ResponseWriter that keeps nothing.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler) {
	r := httptest.NewRequest("GET", "/bench?a=1", nil)
	w := &benchWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}
