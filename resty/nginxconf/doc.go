// Package nginxconf serves an nginx.conf with goresty: Load reads a configuration, as nginx
// and OpenResty read it, and builds a resty.Handler for each server of its http block, so
// that the same locations, rewrite rules, static files, logs and Lua code answer the same
// requests. It has two layers: the loader (Load, LoadSnippet), which gives directives their
// meaning, and the syntax layer (Parse, ParseFile, Walk, Format), which reads nginx's syntax
// into a tree of directives without knowing what they mean.
//
// The shortest complete use, serving a configuration until the process ends:
//
//	c, err := nginxconf.Load("conf/nginx.conf", nginxconf.LoadOptions{Prefix: "/srv/site"})
//	if err != nil {
//		log.Fatal(err) // e.g. unknown directive "proxy_pas" in /srv/site/conf/nginx.conf:12
//	}
//	defer c.Close()
//	log.Fatal(http.ListenAndServe(c.Addresses()[0].Addr, c.Handler()))
//
// Config.Handler picks the server of each request by address and Host, as nginx does;
// Config.Servers holds each server's listen addresses, names and resty.Handler. The command
// in examples/nginxconf listens on every address, reloads on SIGHUP (LoadOptions.Previous
// keeps the shared dicts) and stops gracefully on SIGTERM.
//
// LoadSnippet builds the handler of one server from location blocks, as tests of an
// OpenResty application want it:
//
//	h, err := nginxconf.LoadSnippet(`location = /hello { content_by_lua_block { ngx.say("hi") } }`,
//		"", nginxconf.LoadOptions{})
//
// # The loader
//
// Each server block becomes one resty.Config: its locations (nested ones flattened so that
// each is reached where nginx reaches it), the rewrite module's directives as Go hooks of
// the set phase, static files, add_header, logs and the *_by_lua* directives as hooks of
// their phases, and the settings that resty holds per location (default_type, error_page,
// client_max_body_size) or per handler (server_tokens as the Server header,
// lua_shared_dict, lua_package_path, lua_code_cache); limit_req runs on package limit. Load's documentation lists what each
// directive becomes, what is accepted and ignored, what is refused as "not supported yet"
// and the known differences from nginx. Errors name the file, the line and the directive,
// as nginx words them; the differential tests run the same configurations on real nginx and
// compare every response.
//
// # The syntax layer
//
// Parse and ParseFile read a configuration into Directives; the loader interprets them, and
// other tools (linters, converters) may too:
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
// the code that interprets the tree (the loader checks it as nginx does);
// Directive.Errorf words its errors the nginx way.
//
// Format writes a tree back in a canonical form that parses to the same tree.
//
// Known differences of the syntax layer from nginx: nginx's Lua block lexer looks for the end of a
// long string or comment only within its 4 KB read buffer and fails on longer
// ones ("the inlined Lua code may be too long"); this parser scans the whole
// file. An include cycle is an error here, where nginx recurses until it runs
// out of file descriptors. Handler-level checks nginx makes on Lua blocks
// (argument counts, "no runnable Lua code" for an empty block) are left to the
// code that interprets the tree.
package nginxconf
