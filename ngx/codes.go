package ngx

// Result codes of hooks and ngx.exit, numbered as OpenResty's ngx.OK, ngx.ERROR, ...
const (
	CodeOK       = 0
	CodeError    = -1
	CodeAgain    = -2
	CodeDone     = -4
	CodeDeclined = -5
)
