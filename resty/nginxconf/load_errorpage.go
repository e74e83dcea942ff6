package nginxconf

import (
	"strconv"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// errorPages turns error_page directives into resty's ErrorPages; nil for none. A page that is
// a URL becomes a named location that redirects to it, kept in sb.urlPages.
func (sb *serverBuild) errorPages(ds []*Directive) (map[int]resty.ErrorPage, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	pages := map[int]resty.ErrorPage{}
	for _, d := range ds {
		codes, override, uri, err := parseErrorPage(d)
		if err != nil {
			return nil, err
		}
		page := resty.ErrorPage{URI: uri, Status: override}
		if !strings.HasPrefix(uri, "/") && !strings.HasPrefix(uri, "@") {
			if override == 0 {
				page.Status = 302
			}
			if !isRedirect(page.Status) {
				return nil, d.Errorf("invalid value %q", "="+strconv.Itoa(page.Status))
			}
			page.URI = "@goresty_error_page_" + strconv.Itoa(len(sb.urlPages))
			sb.urlPages = append(sb.urlPages, urlPage(page.URI, uri, page.Status, sb.env.rd))
		}
		for _, c := range codes {
			pages[c] = page
		}
	}
	return pages, nil
}

// sameDirectives reports whether a and b are the same directives: a level that sets none
// of a kind shares its parent's.
func sameDirectives(a, b []*Directive) bool {
	return len(a) == len(b) && (len(a) == 0 || a[0] == b[0])
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
