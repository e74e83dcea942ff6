// Package nginxconf reads nginx configuration syntax, as nginx and OpenResty
// read it, into a tree of directives. It is the syntax layer of goresty's
// nginx.conf loader: it knows how nginx splits text into directives and
// blocks, not what the directives mean.
//
// The shortest complete use:
//
//	ds, err := nginxconf.ParseFile("/etc/nginx/nginx.conf")
//	if err != nil {
//		log.Fatal(err) // e.g. unexpected "}" in /etc/nginx/nginx.conf:12
//	}
//	nginxconf.Walk(ds, func(d *nginxconf.Directive, parents []*nginxconf.Directive) bool {
//		if d.Lua != nil {
//			fmt.Println(d.Pos(), d.Name, len(d.Lua.Source))
//		}
//		return true
//	})
//
// What is read as nginx reads it (src/core/ngx_conf_file.c):
//
//   - A directive is a name and arguments ended by ";" or by a block in braces.
//     Words are separated by spaces, tabs, CR or LF; "#" at the start of a word
//     starts a comment to the end of the line.
//   - Single and double quotes group a word; inside and outside quotes a
//     backslash escapes the next byte, and \" \' \\ \t \r \n are replaced by
//     the character they stand for (any other backslash is kept, so "\d"
//     stays \d for regexes). A closing quote must be followed by a space, ";",
//     "{" or ")": `"a"b` is an error (`unexpected "b"`).
//   - Variables ($host, ${host}) are kept verbatim in the arguments;
//     Directive.ArgHasVars and SplitVars find them.
//   - A word is at most 4095 bytes, as in nginx.
//   - include is expanded by ParseFile (see there for paths, globs and cycles).
//   - The block of a directive whose name ends in "_by_lua_block" is Lua
//     source, delimited by lua-nginx-module's rules (braces inside Lua
//     strings, long strings and comments do not count) and kept verbatim with
//     the line it starts on (LuaBlock). The string forms (content_by_lua
//     '...') and *_by_lua_file are ordinary directives.
//
// The parser also reports the structural errors nginx reports for the
// directives whose shape is fixed: an include without exactly one argument or
// with a block, and a block directive (http, server, location, if, map,
// *_by_lua_block, ...) without its "{". Everything else about a directive,
// whether it exists, where it may appear, how many arguments it takes, is for
// the code that interprets the tree; Directive.Errorf words its errors the
// nginx way.
//
// Format writes a tree back in a canonical form that parses to the same tree.
//
// Known differences from nginx: nginx's Lua block lexer looks for the end of a
// long string or comment only within its 4 KB read buffer and fails on longer
// ones ("the inlined Lua code may be too long"); this parser scans the whole
// file. An include cycle is an error here, where nginx recurses until it runs
// out of file descriptors. Handler-level checks nginx makes on Lua blocks
// (argument counts, "no runnable Lua code" for an empty block) are left to the
// code that interprets the tree.
package nginxconf
