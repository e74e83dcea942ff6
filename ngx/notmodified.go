package ngx

import (
	"net/http"
	"strings"
)

// DisableNotModified keeps r's response from nginx's not_modified filter: a handler that
// answers conditional requests itself (a Go handler, a proxied response nginx would not
// cache) sends its 200s as they are.
func (r *Request) DisableNotModified() { r.noNotModified = true }

// notModified is nginx's not_modified filter for a main request's 200 response with header h.
func (r *Request) notModified(h http.Header) int { return Conditional(r.req.Header, h) }

// Conditional is nginx's not_modified filter's decision for a 200 response whose header is
// out to a request whose header is in: 412 when If-Unmodified-Since or If-Match fails, 304
// when If-Modified-Since equals Last-Modified or If-None-Match matches the ETag (weakly), else
// 0. The response cache (package cache) answers its stored responses with it too.
func Conditional(in, h http.Header) int {
	ius, im := first(in["If-Unmodified-Since"]), first(in["If-Match"])
	ims, inm := first(in["If-Modified-Since"]), first(in["If-None-Match"])
	if ius == "" && im == "" && ims == "" && inm == "" {
		return 0
	}
	lastModified := int64(-1)
	if v := first(h["Last-Modified"]); v != "" {
		if t, err := http.ParseTime(v); err == nil {
			lastModified = t.Unix()
		}
	}
	etag := first(h["Etag"])
	if ius != "" {
		t, err := http.ParseTime(ius)
		if lastModified == -1 || err != nil || t.Unix() < lastModified {
			return http.StatusPreconditionFailed
		}
	}
	if im != "" && !etagListMatch(im, etag, false) {
		return http.StatusPreconditionFailed
	}
	if ims == "" && inm == "" {
		return 0
	}
	if ims != "" {
		t, err := http.ParseTime(ims)
		if lastModified == -1 || err != nil || t.Unix() != lastModified {
			return 0
		}
	}
	if inm != "" && !etagListMatch(inm, etag, true) {
		return 0
	}
	return http.StatusNotModified
}

// etagListMatch reports whether the entity-tag list of If-Match or If-None-Match holds etag,
// as nginx's ngx_http_test_if_match: "*" matches any ETag; a weak comparison ignores W/, a
// strong one never matches a weak ETag.
func etagListMatch(list, etag string, weak bool) bool {
	if etag == "" {
		return false
	}
	if strings.TrimSpace(list) == "*" {
		return true
	}
	if weak {
		etag = strings.TrimPrefix(etag, "W/")
	} else if strings.HasPrefix(etag, "W/") {
		return false
	}
	for t := range strings.SplitSeq(list, ",") {
		t = strings.TrimSpace(t)
		if weak {
			t = strings.TrimPrefix(t, "W/")
		}
		if t == etag {
			return true
		}
	}
	return false
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
