-- A content handler in its own file (content_by_lua_file): it counts the words of ?text=.
local text = ngx.var.arg_text or ""
text = ngx.unescape_uri(text)
local n = 0
for _ in string.gmatch(text, "%S+") do
    n = n + 1
end
ngx.say(n)
