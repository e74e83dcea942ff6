-- What LuaJIT's lexer reads beyond Lua 5.2's: \u{XXX} escapes (UTF-8).
print("\u{48}\u{49}", "\u{20AC}", #"\u{10FFFF}", "\u{0041}\u{000000042}")
print('\u{7A}', "a\\u{41}", "\"\u{41}\"", [[\u{41}]], #[==[\u{41}]==])
-- \u in comments and long strings is not an escape.
-- "\u{41}"
--[[ "\u{41}" ]]
local t = {["\u{41}"] = 1}
print(t.A, ("\u{E9}"):byte(1, -1))
print(0x10, 0xA.8p1, 1e2, .5, 3., 0x.1p4)
print(loadstring("return '\\u{48}'")())
print(loadstring("local _ENV = {} return x") ~= nil, loadstring("goto done ::done:: return 1")())
print(select("#", loadstring("return ...")(nil, nil)))
