package nginxconf

import (
	"strconv"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// errorPages turns the server's error_page directives into resty's ErrorPages. A page that is
// a URL becomes a named location that redirects to it, returned in extra.
func (sb *serverBuild) errorPages() (map[int]resty.ErrorPage, []resty.Location, error) {
	if len(sb.lvl.errorPages) == 0 {
		return nil, nil, nil
	}
	pages := map[int]resty.ErrorPage{}
	var extra []resty.Location
	for _, d := range sb.lvl.errorPages {
		codes, override, uri, err := parseErrorPage(d)
		if err != nil {
			return nil, nil, err
		}
		page := resty.ErrorPage{URI: uri, Status: override}
		if strings.HasPrefix(uri, "/") && !strings.Contains(uri, "?") {
			// nginx redirects to an error page with the arguments it names: none here.
			page.URI += "?"
		}
		if !strings.HasPrefix(uri, "/") && !strings.HasPrefix(uri, "@") {
			if override == 0 {
				page.Status = 302
			}
			if !isRedirect(page.Status) {
				return nil, nil, d.Errorf("invalid value %q", "="+strconv.Itoa(page.Status))
			}
			page.URI = "@goresty_error_page_" + strconv.Itoa(len(extra))
			extra = append(extra, urlPage(page.URI, uri, page.Status, sb.env.rd))
		}
		for _, c := range codes {
			pages[c] = page
		}
	}
	return pages, extra, nil
}

// parseErrorPage reads error_page code ... [=[response]] uri.
func parseErrorPage(d *Directive) (codes []int, override int, uri string, err error) {
	args := d.Args
	uri = args[len(args)-1]
	args = args[:len(args)-1]
	if last := args[len(args)-1]; strings.HasPrefix(last, "=") {
		if last == "=" {
			return nil, 0, "", d.Errorf("%q in %q directive is not supported yet (the status of the page itself)", "=", d.Name)
		}
		override, err = strconv.Atoi(last[1:])
		if err != nil || override < 100 || override > 999 {
			return nil, 0, "", d.Errorf("invalid value %q", last)
		}
		args = args[:len(args)-1]
	}
	if len(args) == 0 {
		return nil, 0, "", d.Errorf("invalid number of arguments in %q directive", d.Name)
	}
	for _, a := range args {
		c, err := strconv.Atoi(a)
		if err != nil || c < 300 || c > 599 {
			return nil, 0, "", d.Errorf("value %q must be between 300 and 599", a)
		}
		if c == 499 {
			return nil, 0, "", d.Errorf("value \"499\" is not supported")
		}
		codes = append(codes, c)
	}
	if strings.Contains(uri, "$") {
		return nil, 0, "", d.Errorf("variables in %q are not supported yet", d.Name)
	}
	return codes, override, uri, nil
}

// urlPage is the named location of an error_page that is a URL: a redirect to it.
func urlPage(name, url string, status int, rd *redirector) resty.Location {
	return resty.Location{Match: name, Hooks: []resty.Hook{{Phase: ngx.PhaseSet,
		Go: func(r *ngx.Request) error {
			rd.location(r, url)
			return r.Exit(status)
		}}}}
}

// checkLocationPages refuses error_page in a location when it differs from the server's:
// resty.Config.ErrorPages is handler-wide.
func (sb *serverBuild) checkLocationPages(n *locNode) error {
	own, srv := n.lvl.errorPages, sb.lvl.errorPages
	if len(own) == len(srv) && (len(own) == 0 || own[0] == srv[0] && own[len(own)-1] == srv[len(srv)-1]) {
		return nil
	}
	return own[0].Errorf("%q directive inside a location is not supported yet (put it in the server block)", own[0].Name)
}
