//go:build !unix

package upstream

import "errors"

var errUnsupportedOption = errors.New("unsupported option")

// Option is not available on this system.
func (c *Conn) Option(name string) (int, error) { return 0, errUnsupportedOption }

// SetOption is not available on this system.
func (c *Conn) SetOption(name string, v int) error { return errUnsupportedOption }
