-- URL parsing and query strings with patterns
local url = "https://user@example.com:8080/path/to/page?a=1&b=two&c=&d=%20x#frag"
local scheme, rest = url:match("^(%a[%w+.-]*)://(.*)$")
print(scheme)
local authority, path = rest:match("^([^/?#]*)(.*)$")
print(authority, path)
print(authority:match("^(.-)@(.-):(%d+)$"))
local query = path:match("%?([^#]*)")
local keys = {}
local vals = {}
for k, v in query:gmatch("([^&=]+)=?([^&]*)") do keys[#keys + 1] = k vals[k] = v end
for _, k in ipairs(keys) do print(k, "[" .. vals[k] .. "]") end
print((path:match("#(.*)$")))
local decoded = ("a%20b%2Fc"):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)
print(decoded)
