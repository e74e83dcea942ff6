package sharedict

// Error is an error that OpenResty reports to Lua as a string result (`nil, "exists"`); Error()
// is exactly that string, so a Lua binding returns err.Error() as it is. The values are compared
// by identity: use errors.Is(err, ErrExists).
type Error struct {
	msg string
	// raise marks the errors OpenResty raises as Lua errors instead of returning them.
	raise bool
	// is is the error this one also matches under errors.Is.
	is *Error
}

// Error returns OpenResty's message.
func (e *Error) Error() string { return e.msg }

// Raised reports whether OpenResty raises this error as a Lua error (a bad argument) rather than
// returning it as a second result.
func (e *Error) Raised() bool { return e.raise }

// Is makes ErrNoMemoryNewList match ErrNoMemory.
func (e *Error) Is(target error) bool { return e.is != nil && target == e.is }

// The errors that OpenResty returns as results; Error() is the exact OpenResty string.
var (
	ErrNilKey       = &Error{msg: "nil key"}
	ErrEmptyKey     = &Error{msg: "empty key"}
	ErrKeyTooLong   = &Error{msg: "key too long"}
	ErrExists       = &Error{msg: "exists"}
	ErrNotFound     = &Error{msg: "not found"}
	ErrNotNumber    = &Error{msg: "not a number"}
	ErrNoMemory     = &Error{msg: "no memory"}
	ErrNotList      = &Error{msg: "value not a list"}
	ErrIsList       = &Error{msg: "value is a list"}
	ErrBadValueType = &Error{msg: "bad value type"}
	ErrNilValue     = &Error{msg: "attempt to add or replace nil values"}
	// ErrNoMemoryNewList is the "no memory" of LPush and RPush when the list itself could not be
	// created; OpenResty then returns false instead of nil as the first result. It matches
	// ErrNoMemory under errors.Is.
	ErrNoMemoryNewList = &Error{msg: "no memory", is: ErrNoMemory}
	// ErrClosed is returned by every method of a closed Dict. It has no OpenResty equivalent.
	ErrClosed = &Error{msg: "closed"}
)

// The errors that OpenResty raises as Lua errors (bad arguments); Raised() is true for them.
var (
	ErrBadExptime = &Error{msg: `bad "exptime" argument`, raise: true}
	ErrBadInitTTL = &Error{msg: `bad "init_ttl" argument`, raise: true}
	// ErrInitTTLWithoutInit cannot come from the Go API (IncrInit always has an init); a Lua
	// binding raises it for incr(key, n, nil, ttl).
	ErrInitTTLWithoutInit = &Error{msg: `must provide "init" when providing "init_ttl"`, raise: true}
)

// maxKeyLen is the longest key OpenResty accepts, in bytes.
const maxKeyLen = 65535

func checkKey(key string) error {
	switch {
	case len(key) == 0:
		return ErrEmptyKey
	case len(key) > maxKeyLen:
		return ErrKeyTooLong
	}
	return nil
}
