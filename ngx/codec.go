package ngx

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"hash/crc32"
	"strings"
	"unsafe"
)

// The behaviours below were recorded from nginx 1.22.1 with lua-nginx-module 0.10.23 and
// lua-resty-core 0.1.25 (Debian's packages); testdata/codec_oracle.conf re-checks them.

const codecUpperHex = "0123456789ABCDEF"

// codecKeepComponent lists the bytes ngx.escape_uri(s) (type 2) leaves alone: RFC 3986's
// unreserved characters plus ! ' ( ) *, which lua-nginx-module 0.10.23 does not escape either.
// codecKeepURI lists those ngx.escape_uri(s, 0) leaves alone: every printable ASCII byte
// but space, '#', '%' and '?'.
var codecKeepComponent, codecKeepURI = codecEscapeTables()

func codecEscapeTables() (component, uri [256]bool) {
	for c := '0'; c <= '9'; c++ {
		component[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		component[c], component[c-'a'+'A'] = true, true
	}
	for _, c := range "-._~!'()*" {
		component[c] = true
	}
	for c := 0x21; c < 0x7f; c++ {
		uri[c] = c != '#' && c != '%' && c != '?'
	}
	return component, uri
}

// EscapeURI escapes s as ngx.escape_uri does, with upper-case hex digits. With component true
// (ngx.escape_uri(s), type 2) every byte is escaped except ASCII letters, digits and
// - . _ ~ ! ' ( ) *. With component false (ngx.escape_uri(s, 0)) only control bytes, space,
// '#', '%', '?', DEL and bytes >= 0x80 are escaped. s is returned as is, without allocating,
// when nothing needs escaping.
func EscapeURI(s string, component bool) string {
	keep := &codecKeepURI
	if component {
		keep = &codecKeepComponent
	}
	n := codecEscapedLen(s, keep)
	if n == len(s) {
		return s
	}
	dst := codecAppendEscaped(make([]byte, 0, n), s, keep)
	return unsafe.String(unsafe.SliceData(dst), len(dst))
}

// codecEscapedLen returns the length of s once escaped.
func codecEscapedLen(s string, keep *[256]bool) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !keep[s[i]] {
			n += 2
		}
	}
	return n
}

func codecAppendEscaped(dst []byte, s string, keep *[256]bool) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !keep[c] {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', codecUpperHex[c>>4], codecUpperHex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// UnescapeURI decodes s as ngx.unescape_uri does: %XX (either case) becomes the byte XX and
// "+" becomes a space. A "%" not followed by two hex digits is kept, and the bytes after it are
// decoded as usual ("%zz" stays "%zz", "%+" becomes "% ", "%%41" becomes "%A"). s is returned
// as is, without allocating, when it holds neither "%" nor "+".
func UnescapeURI(s string) string {
	i := strings.IndexAny(s, "%+")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && codecHexVal(s[i+1]) < 16 && codecHexVal(s[i+2]) < 16:
			b.WriteByte(codecHexVal(s[i+1])<<4 | codecHexVal(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// codecHexVal returns the value of hex digit c, or 16 when c is not one.
func codecHexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 16
}

// Arg is one argument of a query string, in the order it appears or is to be written.
type Arg struct {
	// Key is the unescaped name.
	Key string
	// Value is the unescaped value; empty for "a=" and for a KeyOnly argument.
	Value string
	// KeyOnly marks an argument written without "=": the "a" of "a&b=1", which
	// ngx.decode_args reports as true, and the a = true of ngx.encode_args{a = true}.
	KeyOnly bool
}

// EncodeArgs writes args as ngx.encode_args does: "key=value" (or "key" for a KeyOnly
// argument) joined with "&", keys and values escaped as EscapeURI(s, true) does (a space
// becomes %20, never "+"). An empty key is written as it is: {Key: "", Value: "x"} gives "=x"
// and a KeyOnly empty key gives an empty element ("a=1&").
//
// The Lua binding flattens the table in pairs order: a string or number value gives one Arg
// (numbers formatted as Lua's tostring does), true gives a KeyOnly Arg, false gives nothing,
// and a table value gives one Arg per element of the table in pairs order (true: KeyOnly, false:
// skipped). OpenResty raises "attempt to use a non-string key in the \"args\" option table" for
// a non-string key and "attempt to use <type> as query arg value" for any other value type.
func EncodeArgs(args []Arg) string {
	n := 2 * len(args) // room for the "&"s and "="s
	for _, a := range args {
		n += codecEscapedLen(a.Key, &codecKeepComponent) + codecEscapedLen(a.Value, &codecKeepComponent)
	}
	b := make([]byte, 0, n)
	for i, a := range args {
		if i > 0 {
			b = append(b, '&')
		}
		b = codecAppendEscaped(b, a.Key, &codecKeepComponent)
		if !a.KeyOnly {
			b = append(b, '=')
			b = codecAppendEscaped(b, a.Value, &codecKeepComponent)
		}
	}
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// DecodeArgs parses a query string as ngx.decode_args(s, max) does. Pairs are separated by
// "&"; the key ends at the first "="; keys and values are decoded as UnescapeURI does; a pair
// without "=" is KeyOnly; a pair whose key is empty ("", "=", "=a") is dropped. With max > 0
// parsing stops at the "&" that ends the max-th pair, counting dropped and empty pairs too,
// and truncated is then true, even when nothing follows ("a&b&" with max 2); a last pair not
// followed by "&" never truncates. max <= 0 means no limit; the binding passes 100 when Lua
// gives no max.
//
// ngx.req.get_uri_args counts differently (empty pairs take no slot; truncated when the number
// of "&" is at least max): see ParseArgs.
func DecodeArgs(s string, max int) (args []Arg, truncated bool) {
	count := 0
	for {
		pair, rest, more := strings.Cut(s, "&")
		if a, ok := codecDecodePair(pair); ok {
			args = append(args, a)
		}
		if !more {
			return args, false
		}
		count++
		if max > 0 && count == max {
			return args, true
		}
		s = rest
	}
}

func codecDecodePair(pair string) (Arg, bool) {
	key, value, hasValue := strings.Cut(pair, "=")
	if key == "" {
		return Arg{}, false
	}
	if !hasValue {
		return Arg{Key: UnescapeURI(key), KeyOnly: true}, true
	}
	return Arg{Key: UnescapeURI(key), Value: UnescapeURI(value)}, true
}

// QuoteSQLStr quotes s as a MySQL string literal as ngx.quote_sql_str does: wrapped in single
// quotes, with NUL, \b, \n, \r, \t, \x1a (Ctrl-Z), backslash, ' and " written as \0, \b, \n,
// \r, \t, \Z, \\, \' and \". Every other byte, "%" and "_" included, is copied as it is.
func QuoteSQLStr(s string) string {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		if codecSQLEscape(s[i]) != 0 {
			n++
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if e := codecSQLEscape(s[i]); e != 0 {
			b.WriteByte('\\')
			b.WriteByte(e)
		} else {
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// codecSQLEscape returns the letter that follows the backslash for c, or 0 when c is copied.
func codecSQLEscape(c byte) byte {
	switch c {
	case 0:
		return '0'
	case '\b':
		return 'b'
	case '\n':
		return 'n'
	case '\r':
		return 'r'
	case '\t':
		return 't'
	case 0x1a:
		return 'Z'
	case '\\', '\'', '"':
		return c
	}
	return 0
}

// codecBytes views s as a byte slice without copying; callers only read it.
func codecBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// MD5Hex returns the MD5 digest of s in lower-case hex, as ngx.md5.
func MD5Hex(s string) string {
	sum := md5.Sum(codecBytes(s))
	return hex.EncodeToString(sum[:])
}

// MD5 returns the raw 16-byte MD5 digest of s, as ngx.md5_bin.
func MD5(s string) string {
	sum := md5.Sum(codecBytes(s))
	return string(sum[:])
}

// SHA1 returns the raw 20-byte SHA-1 digest of s, as ngx.sha1_bin.
func SHA1(s string) string {
	sum := sha1.Sum(codecBytes(s))
	return string(sum[:])
}

// HMACSHA1 returns the raw 20-byte HMAC-SHA1 of s under key, as ngx.hmac_sha1(key, s).
func HMACSHA1(key, s string) string {
	m := hmac.New(sha1.New, codecBytes(key))
	m.Write(codecBytes(s))
	return string(m.Sum(nil))
}

// CRC32Short returns the CRC-32 (IEEE) of s, as ngx.crc32_short. nginx computes it with a
// smaller table meant for short strings; the result is the same as CRC32Long's.
func CRC32Short(s string) uint32 { return crc32.ChecksumIEEE(codecBytes(s)) }

// CRC32Long returns the CRC-32 (IEEE) of s, as ngx.crc32_long.
func CRC32Long(s string) uint32 { return crc32.ChecksumIEEE(codecBytes(s)) }

// codecB64Valid and codecB64URLValid mark the bytes of the standard and the URL-safe base64
// alphabets.
var codecB64Valid, codecB64URLValid = codecAlphabet("+/"), codecAlphabet("-_")

func codecAlphabet(last2 string) (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + last2 {
		t[c] = true
	}
	return t
}

// EncodeBase64 encodes s in standard base64 (RFC 4648 alphabet "+/"), as ngx.encode_base64(s,
// noPadding): with "=" padding unless noPadding is true. It allocates once, for the result.
func EncodeBase64(s string, noPadding bool) string {
	if noPadding {
		return codecEncode(base64.RawStdEncoding, s)
	}
	return codecEncode(base64.StdEncoding, s)
}

// EncodeBase64URL encodes s in URL-safe base64 (alphabet "-_") without padding, as
// encode_base64url of lua-resty-core's ngx.base64.
func EncodeBase64URL(s string) string { return codecEncode(base64.RawURLEncoding, s) }

func codecEncode(enc *base64.Encoding, s string) string {
	n := enc.EncodedLen(len(s))
	if n == 0 {
		return ""
	}
	dst := make([]byte, n)
	enc.Encode(dst, codecBytes(s))
	return unsafe.String(unsafe.SliceData(dst), n)
}

// DecodeBase64 decodes standard base64 as ngx.decode_base64 does, reporting false where it
// returns nil. Only the text before the first "=" is decoded and whatever follows that "=" is
// ignored, so padding is optional and may be short or long ("YQ", "YQ=", "YQ===" all give "a").
// That text must hold only characters of the "+/" alphabet (no whitespace, no newlines, no
// URL-safe "-_") and its length must not leave a remainder of 1 when divided by 4. Unused
// low bits of the last character are ignored ("YR==" gives "a").
func DecodeBase64(s string) (string, bool) {
	return codecDecode(base64.RawStdEncoding, &codecB64Valid, s)
}

// DecodeBase64URL decodes URL-safe base64 (alphabet "-_") as decode_base64url of
// lua-resty-core's ngx.base64 does, by the rules of DecodeBase64.
func DecodeBase64URL(s string) (string, bool) {
	return codecDecode(base64.RawURLEncoding, &codecB64URLValid, s)
}

func codecDecode(enc *base64.Encoding, valid *[256]bool, s string) (string, bool) {
	if i := strings.IndexByte(s, '='); i >= 0 {
		s = s[:i]
	}
	for i := 0; i < len(s); i++ {
		if !valid[s[i]] {
			return "", false
		}
	}
	// Go's decoder, unlike nginx's, skips newlines: they were rejected above.
	dst := make([]byte, enc.DecodedLen(len(s)))
	n, err := enc.Decode(dst, codecBytes(s))
	if err != nil {
		return "", false // a length that leaves a remainder of 1
	}
	if n == 0 {
		return "", true
	}
	return unsafe.String(unsafe.SliceData(dst), n), true
}
