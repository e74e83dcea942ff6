package nginxconf

import (
	"crypto/tls"
	"strconv"

	"github.com/goresty/goresty/upstream"
)

// proxySSL holds the proxy_ssl_* directives of a level; each is inherited on its own.
type proxySSL struct {
	serverName   *bool
	name         *Directive
	verify       *bool
	trusted      *Directive
	depth        *Directive
	certificate  *Directive
	key          *Directive
	protocols    *Directive
	sessionReuse *bool
}

func (p *proxySSL) inherit(q *proxySSL) {
	inheritPtr(&p.serverName, q.serverName)
	inheritPtr(&p.name, q.name)
	inheritPtr(&p.verify, q.verify)
	inheritPtr(&p.trusted, q.trusted)
	inheritPtr(&p.depth, q.depth)
	inheritPtr(&p.certificate, q.certificate)
	inheritPtr(&p.key, q.key)
	inheritPtr(&p.protocols, q.protocols)
	inheritPtr(&p.sessionReuse, q.sessionReuse)
}

// setting reads one proxy_ssl_* directive; it reports whether d was one.
func (p *proxySSL) setting(d *Directive) (bool, error) {
	var err error
	switch d.Name {
	case "proxy_ssl_server_name":
		p.serverName, err = flagArg(d)
	case "proxy_ssl_verify":
		p.verify, err = flagArg(d)
	case "proxy_ssl_session_reuse":
		p.sessionReuse, err = flagArg(d)
	case "proxy_ssl_name":
		p.name = d
	case "proxy_ssl_trusted_certificate":
		p.trusted = d
	case "proxy_ssl_verify_depth":
		p.depth = d
	case "proxy_ssl_certificate":
		p.certificate = d
	case "proxy_ssl_certificate_key":
		p.key = d
	case "proxy_ssl_protocols":
		p.protocols = d
	default:
		return false, nil
	}
	return true, err
}

// proxyTLS builds the TLS settings of a location's https:// upstreams, loading the files
// its directives name; name is set when proxy_ssl_name has variables.
func (ld *loader) proxyTLS(p *proxySSL, n *locNode) (*upstream.ProxyTLS, *tmpl, error) {
	t := &upstream.ProxyTLS{ServerName: deref(p.serverName), Verify: deref(p.verify),
		NoSessionReuse: p.sessionReuse != nil && !*p.sessionReuse}
	var name *tmpl
	if p.name != nil {
		if p.name.ArgHasVars(0) {
			var err error
			if name, err = ld.compile(p.name, p.name.Args[0], n.env.sc); err != nil {
				return nil, nil, err
			}
		} else {
			t.Name = p.name.Args[0]
		}
	}
	if p.trusted != nil {
		pool, err := upstream.LoadCertPool(ld.path(p.trusted.Args[0]))
		if err != nil {
			return nil, nil, p.trusted.Errorf("%v", err)
		}
		t.TrustedCertificate = pool
	}
	if t.Verify && t.TrustedCertificate == nil {
		return nil, nil, n.d.Errorf("no proxy_ssl_trusted_certificate for proxy_ssl_verify")
	}
	if p.depth != nil {
		d, err := atoiDirective(p.depth)
		if err != nil {
			return nil, nil, err
		}
		t.VerifyDepth = d
	}
	switch {
	case p.certificate != nil && p.key == nil:
		return nil, nil, p.certificate.Errorf("no \"proxy_ssl_certificate_key\" is defined for certificate %q", p.certificate.Args[0])
	case p.certificate != nil:
		cert, err := tls.LoadX509KeyPair(ld.path(p.certificate.Args[0]), ld.path(p.key.Args[0]))
		if err != nil {
			return nil, nil, p.certificate.Errorf("cannot load certificate %q: %v", p.certificate.Args[0], err)
		}
		t.Certificate = &cert
	}
	if p.protocols != nil {
		vs, err := upstream.ParseProtocols(p.protocols.Args...)
		if err != nil {
			return nil, nil, p.protocols.Errorf("%v", err)
		}
		t.Protocols = vs
	}
	return t, name, nil
}

// atoiDirective reads the one number argument of d, 0 or more.
func atoiDirective(d *Directive) (int, error) {
	n, err := strconv.Atoi(d.Args[0])
	if err != nil || n < 0 {
		return 0, d.Errorf("invalid value %q in %q directive", d.Args[0], d.Name)
	}
	return n, nil
}
