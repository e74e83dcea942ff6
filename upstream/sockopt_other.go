//go:build !unix

package upstream

// Option is not available on this system.
func (c *Conn) Option(name string) (int, error) { return 0, ErrUnsupportedOption }

// SetOption is not available on this system.
func (c *Conn) SetOption(name string, v int) error { return ErrUnsupportedOption }
