//go:build !linux

package ngxlua

import (
	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/upstream"
)

// openUDP leaves ngx.socket.udp out: its binding (udp_linux.go) makes its sockets as nginx
// does on Linux, with Linux's socket calls.
func openUDP(*glua.State, *upstream.Pools) {}
