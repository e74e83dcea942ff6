package ngx

import "log/slog"

// Level is an nginx error-log level, numbered as OpenResty numbers ngx.STDERR .. ngx.DEBUG.
type Level int

// The levels, lowest number most severe.
const (
	LevelStderr Level = iota
	LevelEmerg
	LevelAlert
	LevelCrit
	LevelErr
	LevelWarn
	LevelNotice
	LevelInfo
	LevelDebug
)

var levelNames = [...]string{"stderr", "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"}

// String returns nginx's name of the level ("error", "warn", ...).
func (l Level) String() string {
	if l >= LevelStderr && l <= LevelDebug {
		return levelNames[l]
	}
	return "unknown"
}

// ParseLevel returns the level with nginx's name (as in the error_log directive).
func ParseLevel(name string) (Level, bool) {
	for i, n := range levelNames {
		if n == name {
			return Level(i), true
		}
	}
	return 0, false
}

// Slog maps the level onto log/slog's scale: debug, info and warn map to slog's own levels, error to
// slog.LevelError; notice sits between info and warn, crit/alert/emerg above error.
func (l Level) Slog() slog.Level {
	switch l {
	case LevelDebug:
		return slog.LevelDebug
	case LevelInfo:
		return slog.LevelInfo
	case LevelNotice:
		return slog.LevelInfo + 2
	case LevelWarn:
		return slog.LevelWarn
	case LevelErr:
		return slog.LevelError
	case LevelCrit:
		return slog.LevelError + 2
	case LevelAlert:
		return slog.LevelError + 4
	default: // emerg and stderr: always shown
		return slog.LevelError + 6
	}
}
