// Package luare is OpenResty's ngx.re API (match, find, gmatch, sub, gsub) for
// github.com/Shopify/go-lua states, with PCRE semantics on github.com/dlclark/regexp2/v2.
//
// Open pushes the table that the engine stores as ngx.re:
//
//	luare.Open(l)            // stack: ngx, re
//	l.SetField(-2, "re")     // ngx.re = re
//
// Go code can use the same machinery: Compile (cached, bounded like lua_regex_cache_max_entries),
// Regex.Exec for PCRE-style ovectors of byte offsets, Match, Find, Sub and Gsub.
//
// Patterns are PCRE 8 syntax (what OpenResty links). A translator rewrites each pattern into
// regexp2's .NET dialect so that the results are PCRE's: \d \w \s \b are ASCII, caseless matching
// folds ASCII letters only unless the u option is given, ^ in multiline mode does not match after
// a final newline, possessive quantifiers, \Q...\E, \K, \R, \h, \v, POSIX classes, branch reset,
// named groups (numbered in PCRE's order), conditionals and lookbehind (fixed length, as PCRE
// requires) all work. Without the u option a subject is a string of bytes, each one character
// (so "." matches one byte); with u it is UTF-8 and offsets still come back in bytes.
//
// Compile errors read as OpenResty's, for example
// `pcre_compile() failed: missing ) in "("` or
// `pcre_compile() failed: nothing to repeat in "*" at "*"`, cut at 127 bytes like OpenResty's
// buffer. Subroutine calls ((?1), (?-1), (?&name), (?P>name), \g<1>) and (?(DEFINE)...) work
// when they do not recurse. Not supported, each with a compile error: recursion ((?R), a group
// calling itself), the newline conventions (*CR), (*CRLF), (*ANYCRLF), (*ANY), and the
// backtracking verbs (*COMMIT), (*PRUNE), (*SKIP), (*THEN), (*ACCEPT). \C matches one character
// in UTF-8 mode (one byte in PCRE). With the d option the longest match is found by re-trying the
// pattern anchored at both ends, looking at most 64 KB past the first match, with lookaheads
// seeing the subject cut at each candidate end. A match whose backtracking exceeds regexp2's stack
// bound fails with "pcre_exec() failed: -8", as PCRE's match limit does. PCRE's own quirks are not
// copied: a few exotic patterns (empty iterations of a quantified group that captures, possessive
// groups holding a branch reset) give other captures than PCRE 8.39.
//
// As in OpenResty (lua-nginx-module 0.10.x), replacement templates accept $N, ${N} and $$ only;
// "${name}" fails with "failed to compile the replacement template". gmatch returns a function
// (resty.core returns a callable table).
package luare
