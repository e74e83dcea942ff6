package ngxlua

// maxEscapeType is the largest type ngx.escape_uri takes.
const maxEscapeType = 6

// escapeTables hold, for the types of ngx.escape_uri that package ngx has no function for, the
// bytes nginx's ngx_escape_uri escapes (recorded from nginx, all 256 bytes per type).
var escapeTables = [maxEscapeType + 1]*[256]bool{
	1: escapeSet(controlAndHigh, " #%+?"),  // NGX_ESCAPE_ARGS
	3: escapeSet(controlAndHigh, " \"#%'"), // NGX_ESCAPE_HTML
	4: escapeSet(controlAndHigh, " \"'"),   // NGX_ESCAPE_REFRESH
	5: escapeSet(controlOnly, " %"),        // NGX_ESCAPE_MEMCACHED
	6: escapeSet(controlOnly, " %"),        // NGX_ESCAPE_MAIL_AUTH
}

// argsStringEscape marks what ngx.req.set_uri_args escapes in a string: the control
// characters, space and DEL.
var argsStringEscape = escapeSet(controlOnly, " \x7f")

const (
	controlAndHigh = iota
	controlOnly
)

// escapeSet builds a table: bytes below 0x20 (and from 0x7f up, for controlAndHigh) plus the
// bytes of extra.
func escapeSet(base int, extra string) *[256]bool {
	var t [256]bool
	for b := 0; b < 256; b++ {
		t[b] = b < 0x20 || base == controlAndHigh && b >= 0x7f
	}
	for i := 0; i < len(extra); i++ {
		t[extra[i]] = true
	}
	return &t
}

// escapeWith percent-escapes the bytes of s that t marks, with upper-case hex as nginx writes.
func escapeWith(s string, t *[256]bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if t[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if t[c] {
			b = append(b, '%', hex[c>>4], hex[c&15])
			continue
		}
		b = append(b, c)
	}
	return string(b)
}
