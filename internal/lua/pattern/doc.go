// Package pattern implements Lua 5.2 patterns in pure Go and installs
// string.find, string.match, string.gmatch and string.gsub into a
// github.com/Shopify/go-lua state, which lacks them.
//
// The matcher follows lua5.2's lstrlib.c byte for byte: classes are those of
// the C locale, a pattern may hold at most MaxCaptures captures, recursion is
// bounded as in lua5.2 (a deeper pattern fails with "pattern too complex"),
// and every error is worded as lua5.2 words it. One rule is LuaJIT's, which OpenResty code
// sees: string.find and string.match start an init past #s+1 at #s+1 (lua5.2 returns nil).
//
// The shortest complete use, on a state that has the string library:
//
//	l := glua.NewState()
//	glua.OpenLibraries(l)
//	pattern.Open(l)
//	glua.DoString(l, `print(("key=val"):match("(%w+)=(%w+)"))`)
//
// OpenWith takes Options, such as a cap on the strings gsub builds. From Go,
// a Matcher matches one pattern against one subject without allocating, and
// Gsub replaces matches with a string template.
package pattern
