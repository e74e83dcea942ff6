package nginxconf

import "strconv"

// Error is a configuration error at a place in a file. Its message reads like
// nginx's own: `unexpected "}" in /etc/nginx/nginx.conf:12`.
type Error struct {
	// File is the file the error is in.
	File string
	// Line is the 1-based line nginx would name: for syntax errors, the line
	// where the offending character was read. It is 0 when the error has no
	// place, as when the main configuration file cannot be opened.
	Line int
	// Msg is nginx's message without the location.
	Msg string
	// Err is the underlying error, if any (for example from opening a file).
	Err error
}

// Error returns Msg followed by " in file:line", or by " in line N" when the
// input had no name, or Msg alone when there is no location.
func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return e.Msg
	case e.File == "":
		return e.Msg + " in line " + strconv.Itoa(e.Line)
	}
	return e.Msg + " in " + e.File + ":" + strconv.Itoa(e.Line)
}

// Unwrap returns the underlying error, so that errors.Is(err, fs.ErrNotExist)
// works for a missing include.
func (e *Error) Unwrap() error { return e.Err }
