package nginxconf

// diffSuites are the directive cases TestDirectivesAgainstNginx compares with real nginx.
var diffSuites = []diffSuite{
	{
		name: "return",
		server: `
location = /200 { return 200; }
location = /204 { return 204; }
location = /text { return 200 "uri=$uri args=$args host=$host\n"; }
location = /404 { return 404; }
location = /404t { return 404 "gone\n"; }
location = /301 { return 301 /target?x=1; }
location = /302abs { return 302 http://example.com/x; }
location = /url { return https://example.com/$uri; }
location = /418 { return 418; }
location = /head { return 200 "body\n"; }
`,
		reqs: []diffReq{get1("/200"), get1("/204"), get1("/text?a=1"), get1("/404"), get1("/404t"),
			get1("/301"), get1("/302abs"), get1("/url"), get1("/418"),
			{method: "HEAD", path: "/head"}},
	},
	{
		name: "set and if",
		server: `
location = /set { set $a "x$arg_v"; set $b $a-$a; return 200 "$a $b\n"; }
location = /if {
    set $r none;
    if ($arg_a) { set $r truthy; }
    if ($arg_a = "yes") { set $r yes; }
    if ($arg_a != "yes") { return 200 "not yes: $r\n"; }
    return 200 "$r\n";
}
location = /re {
    if ($http_user_agent ~* "^(curl|go)[^/]*/(\d+)") { return 200 "ua $1 $2\n"; }
    if ($arg_x !~ "^[0-9]+$") { return 400 "bad x\n"; }
    return 200 "ok $arg_x\n";
}
location ~ ^/n/(?<user>\w+)/(?P<id>\d+)$ {
    if ($arg_t ~ "^(?<tag>[a-z]+)$") { return 200 "tag $tag $user\n"; }
    return 200 "user $user id $id first $1\n";
}
location ~ ^/m/(\w+)/(\d+)$ { if ($arg_t ~ "^([a-z]+)$") { return 200 "tag $1\n"; } return 200 "[$1] [$2]\n"; }
location ~ ^/k/(\w+)/(\d+)$ { rewrite ^/nomatch(.*) /x; return 200 "[$1] [$2]\n"; }
location = /file {
    if (-f $document_root/index.html) { return 200 "file\n"; }
    if (-d $document_root) { return 200 "dir only\n"; }
    return 200 "none\n";
}
`,
		files: map[string]string{"html/index.html": "hi\n"},
		reqs: []diffReq{get1("/set?v=1"), get1("/if"), get1("/if?a=0"), get1("/if?a=yes"),
			get1("/if?a=other"), get1("/re?x=12"), get1("/re?x=a"),
			{method: "GET", path: "/re", header: map[string]string{"User-Agent": "curl-x/7.1"}},
			get1("/file"), get1("/n/ada/7"), get1("/n/bob/8?t=red"),
			get1("/m/ada/7"), get1("/m/ada/7?t=blue"), get1("/k/ada/7")},
	},
	{
		name: "rewrite",
		server: `
location /old/ { rewrite ^/old/(.*)$ /new/$1 last; }
location /new/ { return 200 "new $uri $args\n"; }
location /brk/ { rewrite ^/brk/(.*)$ /new/$1 break; return 200 "after break\n"; }
location /brk2/ { rewrite ^/brk2/(.*)$ /b2/$1 break; }
location /perm { rewrite ^/perm(.*)$ /new$1 permanent; }
location /redir { rewrite ^ /new/r?a=1 redirect; }
location /ext { rewrite ^ https://example.com/x?; }
location /args { rewrite ^ /new/q?b=2 last; }
location /noflag { rewrite ^/noflag(.*)$ /new$1; return 200 "still here $uri\n"; }
location /chain { rewrite ^/chain/(.*)$ /new/$1; set $x 1; }
`,
		files: map[string]string{"html/b2/f.txt": "b2 file\n"},
		reqs: []diffReq{get1("/old/a?z=9"), get1("/brk/x"), get1("/brk2/f.txt"), get1("/perm/y?q=1"),
			get1("/redir?c=3"), get1("/ext?d=4"), get1("/args?c=3"), get1("/noflag/z"),
			get1("/chain/k")},
	},
	{
		name: "server rewrite",
		server: `
rewrite ^/legacy/(.*)$ /app/$1;
set $srv server-level;
if ($arg_block) { return 403; }
location /app/ { return 200 "app $uri $srv\n"; }
location /loop { rewrite ^ /app/from-loop last; }
`,
		reqs: []diffReq{get1("/legacy/a"), get1("/app/b"), get1("/x?block=1"), get1("/loop")},
	},
	{
		name: "locations",
		server: `
location / { return 200 "root\n"; }
location = / { return 200 "exact root\n"; }
location /images/ { return 200 "images\n"; }
location ^~ /static/ { return 200 "static noregex\n"; }
location ~ \.(gif|jpg)$ { return 200 "regex $1\n"; }
location ~* \.PNG$ { return 200 "caseless\n"; }
location @named { return 200 "named\n"; }
`,
		reqs: []diffReq{get1("/"), get1("/x"), get1("/images/a"), get1("/images/a.gif"),
			get1("/static/a.gif"), get1("/b.jpg"), get1("/c.png"), get1("/C.Png"), get1("/@named")},
	},
	{
		name: "nested locations",
		server: `
location / {
    location ~ \.php$ { return 200 "php under root\n"; }
    location ^~ /a/ { return 200 "nested noregex\n"; }
    location /b/ {
        location ~ \.txt$ { return 200 "txt under b\n"; }
        return 200 "b\n";
    }
    return 200 "root\n";
}
location /static/ {
    location ~* \.css$ { return 200 "css in static\n"; }
    return 200 "static\n";
}
location ~ \.txt$ { return 200 "top txt\n"; }
location ~ ^/r/ {
    location ~ \.json$ { return 200 "json in r\n"; }
    return 200 "r\n";
}
`,
		reqs: []diffReq{get1("/x.php"), get1("/a/x.txt"), get1("/a/x.php"), get1("/a/y"),
			get1("/b/x.txt"), get1("/b/x.php"), get1("/b/"), get1("/static/x.CSS"),
			get1("/static/x.php"), get1("/static/x.txt"), get1("/q.txt"), get1("/r/a.json"),
			get1("/r/a"), get1("/z")},
	},
	{
		name: "static",
		server: `
location /s/ { root html/site; index index.html; }
location /a/ { alias html/site/s/; }
location ~ ^/re/(.*)$ { alias html/site/s/$1; }
location /ix/ { root html/site; index nope.html other.html; }
`,
		files: map[string]string{
			"html/site/s/index.html":  "<p>index</p>\n",
			"html/site/s/f.txt":       "f\n",
			"html/site/s/sub/g.html":  "<p>g</p>\n",
			"html/site/s/noidx/":      "",
			"html/site/ix/other.html": "other\n",
			"html/site/s/pic.gif":     "GIF89a",
		},
		reqs: []diffReq{get1("/s/"), get1("/s/f.txt"), get1("/s/sub"), get1("/s/sub?a=1"),
			get1("/s/noidx/"), get1("/s/nope"), get1("/s/nope/"), get1("/s/pic.gif"),
			get1("/a/f.txt"), get1("/a/"), get1("/re/f.txt"), get1("/ix/"),
			{method: "HEAD", path: "/s/f.txt"}, {method: "POST", path: "/s/f.txt"},
			{method: "DELETE", path: "/s/f.txt"},
			{method: "GET", path: "/s/f.txt", header: map[string]string{"Range": "bytes=0-0"}}},
	},
	{
		name: "add_header",
		server: `
add_header X-Server s;
location = /inherit { return 200 "ok\n"; }
location = /own { add_header X-Own o; add_header X-Always a always; return 200 "ok\n"; }
location = /own404 { add_header X-Own o; add_header X-Always a always; return 404; }
location = /var { add_header X-Uri "$uri"; add_header X-Empty "$arg_none"; return 200 "ok\n"; }
location = /lua {
    add_header X-Add added;
    header_filter_by_lua_block { ngx.header["X-Seen"] = ngx.header["X-Add"] or "nil" }
    content_by_lua_block { ngx.say("lua") }
}
location = /exit {
    add_header X-Always a always;
    header_filter_by_lua_block { ngx.header["X-N"] = (ngx.header["X-N"] or "") .. "n" }
    content_by_lua_block { ngx.exit(ngx.var.arg_s and tonumber(ngx.var.arg_s) or 403) }
}
location = /rexit {
    add_header X-Always a always;
    header_filter_by_lua_block { ngx.header["X-N"] = (ngx.header["X-N"] or "") .. "n" }
    rewrite_by_lua_block { ngx.status = 202 ngx.say("early") ngx.exit(ngx.HTTP_OK) }
}
location = /hexit {
    add_header X-Always a always;
    header_filter_by_lua_block { ngx.header["X-N"] = (ngx.header["X-N"] or "") .. ngx.status .. ";" if ngx.status == 200 then ngx.exit(410) end }
    content_by_lua_block { ngx.say("x") }
}
`,
		reqs: []diffReq{get1("/inherit"), get1("/own"), get1("/own404"), get1("/var"), get1("/lua"),
			get1("/missing"), get1("/exit"), get1("/exit?s=204"), get1("/exit?s=200"), get1("/rexit"), get1("/hexit")},
	},
	{
		name: "default_type",
		server: `
location = /html { default_type text/html; return 200 "<p>x</p>\n"; }
location = /plain { return 200 "x\n"; }
location = /lua { default_type application/json; content_by_lua_block { ngx.say("{}") } }
location = /none { default_type ""; return 200 "x\n"; }
location = /e { default_type text/html; return 404; }
location /nolua { default_type ""; content_by_lua_block { ngx.print("<html><body>x") } }
location = /nofilter {
    default_type "";
    header_filter_by_lua_block { ngx.header["X-T"] = ngx.header.content_type or "none" }
    content_by_lua_block { ngx.print("<html><body>x") }
}
location = /noexit { default_type ""; error_page 404 /nolua/page; content_by_lua_block { ngx.exit(404) } }
`,
		reqs: []diffReq{get1("/html"), get1("/plain"), get1("/lua"), get1("/none"), get1("/e"),
			get1("/nolua"), get1("/nofilter"), get1("/noexit")},
	},
	{
		name: "error_page",
		server: `
error_page 404 /404.html;
error_page 500 502 =200 /fallback;
error_page 403 http://example.com/forbidden;
location = /404.html { return 200 "custom 404 $uri $args\n"; }
location = /fallback { return 200 "fallback\n"; }
location = /boom { content_by_lua_block { error("x") } }
location = /deny { return 403; }
location = /direct { return 404; }
`,
		reqs: []diffReq{get1("/nothing-here?a=1"), get1("/boom"), get1("/deny"), get1("/direct")},
	},
	{
		name: "internal and named",
		server: `
rewrite ^/srv$ /hidden/srv last;
rewrite ^/srvnoflag$ /hidden/srvnoflag;
location /hidden { internal; return 200 "hidden $uri\n"; }
location = /go { content_by_lua_block { ngx.exec("/hidden") } }
location = /named { content_by_lua_block { ngx.exec("@n") } }
location @n { return 200 "named $uri\n"; }
location = /last { rewrite ^ /hidden/last last; }
location = /noflag { rewrite ^ /hidden/noflag; }
location = /brk { rewrite ^ /hidden/brk break; content_by_lua_block { ngx.exec("@n") } }
`,
		reqs: []diffReq{get1("/hidden"), get1("/go"), get1("/named"), get1("/srv"), get1("/srvnoflag"),
			get1("/last"), get1("/noflag"), get1("/brk")},
	},
	{
		name: "body size",
		server: `
client_max_body_size 10;
location = /small { content_by_lua_block { ngx.req.read_body() ngx.say(ngx.req.get_body_data()) } }
location = /big { client_max_body_size 1k; content_by_lua_block { ngx.req.read_body() ngx.say(#ngx.req.get_body_data()) } }
location = /tiny { client_max_body_size 2; content_by_lua_block { ngx.say("tiny") } }
`,
		reqs: []diffReq{{method: "POST", path: "/small", body: "12345"},
			{method: "POST", path: "/small", body: "12345678901"},
			{method: "POST", path: "/big", body: "12345678901"},
			{method: "POST", path: "/tiny", body: "123"}},
	},
	{
		name: "body size after server rewrites",
		server: `
client_max_body_size 4;
error_page 413 /page;
if ($request_uri = /srvret) { return 403; }
rewrite ^/a2$ /small last;
location /a { return 200 "a\n"; }
location /small { client_max_body_size 100; return 200 "small\n"; }
location /in { internal; return 200 "in\n"; }
location /x { client_max_body_size 100; content_by_lua_block { ngx.exec("@tiny") } }
location @tiny { client_max_body_size 2; return 200 "named\n"; }
location = /page { client_max_body_size 1; return 200 "page $request_uri\n"; }
`,
		reqs: []diffReq{{method: "POST", path: "/srvret", body: "123456"},
			{method: "POST", path: "/a2", body: "123456"}, {method: "POST", path: "/a", body: "123456"},
			{method: "POST", path: "/a", body: "1234"}, {method: "POST", path: "/in", body: "123456"},
			{method: "POST", path: "/x", body: "123456"}},
	},
	{
		name: "lua phases",
		http: `
lua_package_path "$prefix/lua/?.lua;;";
init_by_lua_block { require("m") }
rewrite_by_lua_block { ngx.ctx.trail = "http-rewrite" }
`,
		server: `
access_by_lua_block { ngx.ctx.trail = (ngx.ctx.trail or "") .. ",server-access" }
location = /a { content_by_lua_block { ngx.say(ngx.ctx.trail) } }
location = /b {
    rewrite_by_lua_block { ngx.ctx.trail = "own-rewrite" }
    content_by_lua_block { ngx.say(ngx.ctx.trail, " ", require("m").v) }
}
location = /set { set_by_lua_block $v { return ngx.var.arg_a .. "!" } set_by_lua $w 'return ngx.arg[1] + ngx.arg[2]' $arg_a 2; return 200 "$v $w\n"; }
location = /vars { root html/x; content_by_lua_block { ngx.say(ngx.var.server_name, " ", ngx.var.request, " ", ngx.var.request_filename) } }
location = /filter {
    content_by_lua_block { ngx.say("abc") }
    body_filter_by_lua_block { ngx.arg[1] = ngx.arg[1] and ngx.arg[1]:upper() }
    header_filter_by_lua_block { ngx.header.content_length = nil ngx.header["X-F"] = "1" }
}
`,
		files: map[string]string{"lua/m.lua": "return { v = 'module' }\n"},
		reqs:  []diffReq{get1("/a"), get1("/b"), get1("/set?a=40"), get1("/filter"), get1("/vars?q=1")},
	},
	{
		name: "try_files expires access",
		server: `
location /tf/ { root html; try_files $uri $uri/ /fallback; }
location = /fallback { return 200 "fallback $uri $args\n"; }
location /tc/ { try_files $uri =418; }
location /tn/ { try_files /nope @named; }
location @named { return 200 "named $uri\n"; }
location = /exp { expires 1h; content_by_lua_block { ngx.say("x") } }
location = /expm { expires -1; return 200 "x"; }
location = /expe { expires epoch; return 200 "x"; }
location = /exp404 { expires 1h; return 404; }
location = /deny { deny 127.0.0.1; allow all; content_by_lua_block { ngx.say("allowed") } }
location = /allow { allow 127.0.0.0/8; deny all; content_by_lua_block { ngx.say("allowed") } }
location = /denyall { deny all; content_by_lua_block { ngx.say("allowed") } }
`,
		files: map[string]string{"html/tf/a.txt": "tf\n", "html/tf/d/index.html": "idx\n"},
		reqs: []diffReq{get1("/tf/a.txt"), get1("/tf/d"), get1("/tf/d/"), get1("/tf/nope?q=1"),
			get1("/tc/x"), get1("/tn/x"), get1("/expe"), get1("/exp404"),
			get1("/deny"), get1("/allow"), get1("/denyall")},
	},
	{
		name: "nested guards",
		server: `
location / {
    location ~ \.php$ { return 200 "php in root\n"; }
    location ^~ /lib/ {
        return 200 "lib\n";
    }
    location /deep/ {
        location /deep/er/ {
            location ~ \.php$ { return 200 "php in deeper\n"; }
            return 200 "deeper\n";
        }
        location ~ ^/deep/.*\.php$ { return 200 "php in deep\n"; }
    }
}
location /static/ { return 200 "static\n"; }
location = /exact.php { return 200 "exact\n"; }
location ~* \.PHP$ { return 200 "top caseless\n"; }
`,
		reqs: []diffReq{get1("/a.php"), get1("/static/x.php"), get1("/lib/x.php"), get1("/lib/x"),
			get1("/deep/x.php"), get1("/deep/er/x.php"), get1("/deep/er/y"), get1("/exact.php"),
			get1("/A.PHP"), get1("/static/x.PHP"), get1("/deep/er/x.PHP")},
	},
	{
		name:   "conditional requests",
		server: `location / { root html; }`,
		files:  map[string]string{"html/f.txt": "0123456789\n"},
		reqs: []diffReq{
			{method: "GET", path: "/f.txt", header: map[string]string{"If-Modified-Since": "Thu, 01 Jan 2099 00:00:00 GMT"}},
			{method: "GET", path: "/f.txt", header: map[string]string{"If-Modified-Since": "Thu, 01 Jan 1990 00:00:00 GMT"}},
			{method: "GET", path: "/f.txt", header: map[string]string{"Range": "bytes=2-4"}},
			{method: "GET", path: "/f.txt", header: map[string]string{"Range": "bytes=50-60"}},
			{method: "HEAD", path: "/f.txt"},
		},
	},
	{
		name: "flags across redirects",
		server: `
error_page 404 /err;
rewrite ^/srv/(.*)$ /in/$1 last;
location /brk/ { rewrite ^ /nothing break; }
location /in/ { rewrite ^ /missing break; }
location = /err { set $v fromerr; return 200 "err $v $uri\n"; }
`,
		reqs: []diffReq{get1("/brk/a"), get1("/srv/b"), get1("/in/c")},
	},
	{
		name: "charset",
		server: `
charset utf-8;
location = /a { content_by_lua_block { ngx.say("x") } }
location = /b { default_type application/json; return 200 "{}"; }
location = /c { header_filter_by_lua_block { ngx.header.content_type = "text/plain" } return 200 "x"; }
location = /d { content_by_lua_block { ngx.header.content_type = "text/html; charset=latin1" ngx.say("x") } }
location = /e { charset off; return 200 "x"; }
location = /f { return 404; }
location = /g { charset_types application/json; default_type application/json; return 200 "{}"; }
`,
		reqs: []diffReq{get1("/a"), get1("/b"), get1("/c"), get1("/d"), get1("/e"), get1("/f"), get1("/g")},
	},
	{
		name: "redirect forms",
		server: `
location = /rel { absolute_redirect off; return 301 /x; }
location = /noport { port_in_redirect off; return 302 /x; }
location = /name { server_name_in_redirect on; return 302 /x; }
location /dir/ { absolute_redirect off; root html; }
location = /perm { rewrite ^ /y?b=2 permanent; }
`,
		files: map[string]string{"html/dir/sub/": ""},
		reqs: []diffReq{get1("/rel"), get1("/noport"), get1("/name"), get1("/dir/sub?a=1"), get1("/perm?a=1"),
			{method: "GET", path: "/noport", header: map[string]string{"Host": "example.org"}}},
	},
	{
		name: "map",
		http: `
map $arg_a $m1 { default d; Foo foo; ~^b(?<cap>\d+)$ b$cap; ~*^X x; "" empty; \default lit; }
map $arg_b$arg_c $m2 { 12 twelve; }
map $http_host $m3 { hostnames; default none; *.example.com wild; example.* tail; .dot.org dot; }
map $status $loggable { ~^[23] 0; default 1; }
`,
		server: `
location = /m { return 200 "[$m1] [$m2] [$m3] [$cap]\n"; }
location = /lua { content_by_lua_block { ngx.say(ngx.var.m1, " ", ngx.var.m3) } }
`,
		reqs: []diffReq{get1("/m?a=foo&b=1&c=2"), get1("/m?a=b42"), get1("/m?a=xyz"), get1("/m"),
			get1("/m?a=default"), get1("/lua?a=FOO"),
			{method: "GET", path: "/m", header: map[string]string{"Host": "a.example.com"}},
			{method: "GET", path: "/m", header: map[string]string{"Host": "example.org"}},
			{method: "GET", path: "/m", header: map[string]string{"Host": "dot.org"}},
			{method: "GET", path: "/m", header: map[string]string{"Host": "x.dot.org"}}},
	},
	{
		name: "jumps and types",
		server: `
set $n "${n}x";
location /a { rewrite ^ /b last; }
location /a2 { rewrite ^ /b; }
location /d { rewrite_by_lua_block { ngx.req.set_uri("/e.html") } content_by_lua_block { ngx.say(ngx.var.uri) } }
location /f { rewrite ^ /g.html break; return 200 "x"; }
location /b { return 200 "n=$n\n"; }
location /h { return 200 "x"; }
location /i { rewrite ^ /j.gif break; content_by_lua_block { ngx.say("gif?") } }
location /k { types { application/json json; } default_type text/x-k; return 200 "k"; }
location /l { default_type ""; content_by_lua_block { ngx.say("<html>") } }
location = /m.html { error_page 404 /b; return 404; }
location = /e0 { return 404 ""; }
location = /e1 { return 200 ""; }
location = /e2.html { content_by_lua_block { ngx.status = 404 ngx.header.content_length = 0 } }
location /sj { rewrite_by_lua_block { ngx.req.set_uri("/b", true) } }
location /sk { rewrite_by_lua_block { ngx.ctx.x = 1 ngx.req.set_uri("/isint", true) } }
location = /isint { content_by_lua_block { ngx.say(ngx.req.is_internal(), " n=", ngx.var.n, " ctx=", ngx.ctx.x, " args=", ngx.var.args) } }
location /ri { rewrite ^ /isint break; content_by_lua_block { ngx.say(ngx.req.is_internal(), " ", ngx.var.uri) } }
location /rl { rewrite ^ /isint last; }
location /ex { content_by_lua_block { ngx.exec("/isint") } }
`,
		reqs: []diffReq{get1("/a"), get1("/a2"), get1("/d"), get1("/f"), get1("/h.html"), get1("/h.gif"),
			get1("/h.GIF?x"), get1("/h.jpg/"), get1("/b"), get1("/i"), get1("/k.json"), get1("/k.html"),
			get1("/k"), get1("/l"), get1("/m.html"), get1("/e0"), get1("/e1"), get1("/e2.html"),
			get1("/sj"), get1("/sk"), get1("/sk?"), get1("/sk?q=1"), get1("/ri"), get1("/rl"), get1("/ex"),
			get1("/isint")},
	},
	{
		name: "location settings",
		server: `
client_max_body_size 10;
error_page 404 /srv404;
error_page 413 /too_big;
location = /srv404 { return 200 "server page $uri $args\n"; }
location = /too_big { return 200 "too big page\n"; }
location /inh { return 404; }
location /own { error_page 404 /own404?from=own; return 404; }
location = /own404 { return 200 "own page $uri $args\n"; }
location /other { error_page 500 /srv404; return 404; }
location /named { error_page 404 =200 @n; location /named/in { return 404; } return 404; }
location @n { return 200 "named $uri\n"; }
location /url { error_page 404 http://example.com/nf; return 404; }
location = /big { client_max_body_size 1k; error_page 413 =200 @n; content_by_lua_block { ngx.req.read_body() ngx.say(#ngx.req.get_body_data()) } }
location = /tiny { client_max_body_size 2; error_page 413 =200 @n; return 200 "tiny\n"; }
location = /off { client_max_body_size 0; content_by_lua_block { ngx.req.read_body() ngx.say(#ngx.req.get_body_data()) } }
location = /json { default_type application/json; return 200 "{}"; }
`,
		reqs: []diffReq{get1("/inh?a=1"), get1("/own?a=1"), get1("/other"), get1("/named/x"),
			get1("/named/in/y"), get1("/url"), get1("/json"), get1("/json.html"),
			{method: "POST", path: "/inh", body: "12345678901"},
			{method: "POST", path: "/big", body: "12345678901"},
			{method: "POST", path: "/tiny", body: "123"},
			{method: "POST", path: "/off", body: "123456789012345"}},
	},
}
