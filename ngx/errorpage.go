package ngx

// pageTitles holds the titles of nginx's built-in error pages (ngx_http_special_response.c). A status
// missing here has no page: nginx sends it with an empty body.
var pageTitles = map[int]string{
	301: "301 Moved Permanently",
	302: "302 Found",
	303: "303 See Other",
	307: "307 Temporary Redirect",
	308: "308 Permanent Redirect",
	400: "400 Bad Request",
	401: "401 Authorization Required",
	402: "402 Payment Required",
	403: "403 Forbidden",
	404: "404 Not Found",
	405: "405 Not Allowed",
	406: "406 Not Acceptable",
	408: "408 Request Time-out",
	409: "409 Conflict",
	410: "410 Gone",
	411: "411 Length Required",
	412: "412 Precondition Failed",
	413: "413 Request Entity Too Large",
	414: "414 Request-URI Too Large",
	415: "415 Unsupported Media Type",
	416: "416 Requested Range Not Satisfiable",
	421: "421 Misdirected Request",
	429: "429 Too Many Requests",
	494: "400 Request Header Or Cookie Too Large",
	495: "400 The SSL certificate error",
	496: "400 No required SSL certificate was sent",
	497: "400 The plain HTTP request was sent to HTTPS port",
	500: "500 Internal Server Error",
	501: "501 Not Implemented",
	502: "502 Bad Gateway",
	503: "503 Service Temporarily Unavailable",
	504: "504 Gateway Time-out",
	505: "505 HTTP Version Not Supported",
	507: "507 Insufficient Storage",
}

// ErrorPage returns nginx's built-in page for status, with server in its footer (nginx prints
// "nginx/1.22.1", or "nginx" with server_tokens off), and whether status has a page at all.
func ErrorPage(status int, server string) ([]byte, bool) {
	title, ok := pageTitles[status]
	if !ok {
		return nil, false
	}
	b := make([]byte, 0, 160)
	b = append(b, "<html>\r\n<head><title>"...)
	b = append(b, title...)
	b = append(b, "</title></head>\r\n<body>\r\n<center><h1>"...)
	b = append(b, title...)
	b = append(b, "</h1></center>\r\n<hr><center>"...)
	b = append(b, server...)
	b = append(b, "</center>\r\n</body>\r\n</html>\r\n"...)
	return b, true
}
