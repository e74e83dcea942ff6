// Package luacjson is lua-cjson 2.1 as OpenResty bundles it (openresty/lua-cjson), for
// github.com/Shopify/go-lua states: the `cjson` and `cjson.safe` modules.
//
// The engine's require calls Open for "cjson" and OpenSafe for "cjson.safe"; each call builds a
// module table with its own configuration, as a fresh require does in an nginx worker:
//
//	l := glua.NewState()
//	glua.OpenLibraries(l)
//	glua.Require(l, "cjson", luacjson.Open, true)
//	_ = glua.DoString(l, `print(cjson.encode({1, 2, 3}))`) // [1,2,3]
//
// Behaviour follows lua-cjson: the same JSON text, the same error messages ("Expected value but
// found invalid token at character 1", "Cannot serialise function: type not supported"), numbers
// printed with %.14g by default, "/" escaped as "\/", empty tables encoded as objects unless
// marked with cjson.empty_array_mt, sparse arrays judged by encode_sparse_array. cjson raises
// errors; cjson.safe returns nil and the message.
//
// Differences from the C module, all forced by go-lua or chosen on purpose:
//   - cjson.null and cjson.empty_array are full userdata (go-lua has no usable light userdata), one
//     per Lua state, kept in the registry. PushNull pushes that value so ngx.null == cjson.null.
//     tostring(cjson.null) is "userdata: NULL" as in OpenResty (through a __tostring metamethod).
//   - encode_escape_forward_slash is a per-module setting; the C module changes a process-wide table.
//   - encode_keep_buffer is accepted and reported but has no effect (buffers are per call).
//   - Key order of encoded objects follows go-lua's table iteration, which differs from LuaJIT's.
//   - Numbers are decoded with strtod rules (as mpx/lua-cjson 2.1.0 does); the fork's strtoll path
//     that reads "010" as octal 8 is not copied: "010" decodes to 10.
package luacjson
