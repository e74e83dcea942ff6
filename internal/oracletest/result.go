package oracletest

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Result is what a client of one case saw, normalised for comparison.
type Result struct {
	// Status is the response status; 0 when the connection closed before a status line.
	Status int
	// Header holds "Name: value" lines, names canonical, sorted by name (values of one name in
	// the order received), without the headers the comparison ignores.
	Header []string
	// Body is the response body as received (what arrived before a cut connection).
	Body string
	// Aborted reports that the connection closed before the response was complete.
	Aborted bool
	// Log holds the essential part of each error-log line the request caused, at the case's
	// level or more severe: "[level] first line of the message".
	Log []string
}

// ignoredHeaders are left out of every comparison (see the package documentation).
var ignoredHeaders = map[string]bool{
	"Server": true, "Date": true, "Connection": true, "Keep-Alive": true,
	"Content-Length": true, "Transfer-Encoding": true,
}

// headerLines turns a response header into Result.Header's form.
func headerLines(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		if !ignoredHeaders[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, http.CanonicalHeaderKey(k)+": "+v)
		}
	}
	return out
}

// Diff describes how got differs from want, or returns "" when they are the same.
func Diff(want, got *Result) string {
	var b strings.Builder
	if want.Status != got.Status {
		fmt.Fprintf(&b, "status: want %d, got %d\n", want.Status, got.Status)
	}
	if want.Aborted != got.Aborted {
		fmt.Fprintf(&b, "aborted: want %v, got %v\n", want.Aborted, got.Aborted)
	}
	if want.Body != got.Body {
		fmt.Fprintf(&b, "body:\n  want %q\n  got  %q\n", want.Body, got.Body)
	}
	listDiff(&b, "header", want.Header, got.Header)
	listDiff(&b, "log", want.Log, got.Log)
	return b.String()
}

func listDiff(b *strings.Builder, what string, want, got []string) {
	if strings.Join(want, "\x00") == strings.Join(got, "\x00") {
		return
	}
	fmt.Fprintf(b, "%s:\n", what)
	for _, w := range want {
		fmt.Fprintf(b, "  want %q\n", w)
	}
	for _, g := range got {
		fmt.Fprintf(b, "  got  %q\n", g)
	}
}

// WriteGoldens writes the results of cases (those present in results) to path, in case order.
func WriteGoldens(path string, cases []*Case, results map[string]*Result) error {
	var b strings.Builder
	b.WriteString("# Recorded from real nginx + lua-nginx-module by `go test -update`; do not edit.\n")
	for _, c := range cases {
		r, ok := results[c.Name]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "\n=== %s\nstatus: %d\n", c.Name, r.Status)
		if r.Aborted {
			b.WriteString("aborted: true\n")
		}
		for _, h := range r.Header {
			fmt.Fprintf(&b, "header: %s\n", strconv.Quote(h))
		}
		fmt.Fprintf(&b, "body: %s\n", strconv.Quote(r.Body))
		for _, l := range r.Log {
			fmt.Fprintf(&b, "log: %s\n", strconv.Quote(l))
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// ReadGoldens reads a file written by WriteGoldens; a missing file gives no results.
func ReadGoldens(path string) (map[string]*Result, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]*Result{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*Result{}
	var cur *Result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, ok := strings.CutPrefix(line, "=== "); ok {
			cur = &Result{}
			out[name] = cur
			continue
		}
		key, value, ok := strings.Cut(line, ": ")
		if !ok || cur == nil {
			return nil, fmt.Errorf("%s:%d: bad golden line %q", path, n, line)
		}
		if err := cur.set(key, value); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return out, sc.Err()
}

func (r *Result) set(key, value string) error {
	var err error
	switch key {
	case "status":
		r.Status, err = strconv.Atoi(value)
	case "aborted":
		r.Aborted = value == "true"
	case "header", "body", "log":
		var s string
		if s, err = strconv.Unquote(value); err != nil {
			break
		}
		switch key {
		case "header":
			r.Header = append(r.Header, s)
		case "body":
			r.Body = s
		default:
			r.Log = append(r.Log, s)
		}
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return err
}
