//go:build !unix

package upstream

// peeker is unused here.
type peeker struct{}

// peek cannot look at a socket without reading it on this system: an idle connection closed by
// its peer shows when it is used.
func (c *Conn) peek() peerState { return peerQuiet }
