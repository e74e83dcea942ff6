package nginxconf

import (
	"strconv"
)

// socketDirective reads one of the cosocket directives of the http block into ld.sockets.
func (ld *loader) socketDirective(d *Directive) error {
	st := &ld.sockets
	if d.Name == "lua_ssl_trusted_certificate" {
		st.TrustedCertificate = d.Args[0]
		return nil
	}
	if d.Name == "lua_socket_pool_size" || d.Name == "lua_ssl_verify_depth" {
		n, err := strconv.Atoi(d.Args[0])
		if err != nil || n <= 0 && d.Name == "lua_socket_pool_size" || n < 0 {
			return d.Errorf("%q directive invalid value", d.Name)
		}
		if d.Name == "lua_socket_pool_size" {
			st.PoolSize = n
		} else {
			st.VerifyDepth = n
		}
		return nil
	}
	t, err := parseTime(d, d.Args[0])
	if err != nil {
		return err
	}
	switch d.Name {
	case "lua_socket_connect_timeout":
		st.ConnectTimeout = t
	case "lua_socket_send_timeout":
		st.SendTimeout = t
	case "lua_socket_read_timeout":
		st.ReadTimeout = t
	case "lua_socket_keepalive_timeout":
		if t == 0 {
			t = -1 // nginx's 0: kept connections never time out
		}
		st.KeepaliveTimeout = t
	}
	return nil
}
