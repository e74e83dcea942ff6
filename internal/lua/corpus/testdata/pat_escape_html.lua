-- html escaping through a table replacement and a class set
local map = {["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;", ['"'] = "&quot;", ["'"] = "&#39;"}
local function esc(s) return (s:gsub("[<>&\"']", map)) end
print(esc([[<a href="x">Tom & 'Jerry'</a>]]))
local function unesc(s)
  local r = {lt = "<", gt = ">", amp = "&", quot = '"'}
  return (s:gsub("&(%a+);", r):gsub("&#(%d+);", function(n) return string.char(tonumber(n)) end))
end
print(unesc("&lt;b&gt; &amp; &#65;&#66; &unknown;"))
