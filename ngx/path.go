package ngx

import (
	"net/url"
	"strconv"
	"strings"
)

// NormalizePath returns p as nginx normalises $uri: repeated slashes merged, "." and ".."
// segments resolved (never above the root), a trailing slash kept. p is returned unchanged, without
// allocating, when it needs nothing.
func NormalizePath(p string) string {
	if p == "" {
		return "/"
	}
	if !needsNormalize(p) {
		return p
	}
	segs := make([]string, 0, strings.Count(p, "/")+1)
	trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	out := "/" + strings.Join(segs, "/")
	if trailing && len(segs) > 0 {
		out += "/"
	}
	return out
}

func needsNormalize(p string) bool {
	if p[0] != '/' {
		return true
	}
	for i := 0; i < len(p)-1; i++ {
		if p[i] != '/' {
			continue
		}
		switch p[i+1] {
		case '/':
			return true
		case '.':
			rest := p[i+2:]
			if rest == "" || rest[0] == '/' || rest == "." || strings.HasPrefix(rest, "./") {
				return true
			}
		}
	}
	return false
}

// ParseArgs walks a query string as ngx.req.get_uri_args and get_post_args do: "&"-separated
// pairs, "+" and %XX decoded in keys and values, a key without "=" reported with hasValue false,
// empty keys skipped. With max > 0 it reports at most max pairs and, as OpenResty does, calls
// the result truncated when the string has max or more "&" separators, counting empty pairs.
func ParseArgs(s string, max int, fn func(key, value string, hasValue bool)) (truncated bool) {
	n := 0
	if max > 0 {
		truncated = strings.Count(s, "&") >= max
	}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		key, value, hasValue := strings.Cut(pair, "=")
		if key == "" {
			continue
		}
		if max > 0 && n == max {
			break
		}
		n++
		fn(unescapeArg(key), unescapeArg(value), hasValue)
	}
	return truncated
}

// unescapeArg decodes "+" and %XX as nginx's ngx_unescape_uri does for arguments: a malformed
// escape is kept as it is rather than rejected.
func unescapeArg(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(v))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
