package nginxconf

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{in: "65", want: 65 * time.Second},
		{in: "0", want: 0},
		{in: "500ms", want: 500 * time.Millisecond},
		{in: "1m30s", want: 90 * time.Second},
		{in: "2h", want: 2 * time.Hour},
		{in: "1d", want: 24 * time.Hour},
		{in: "1w", want: 7 * 24 * time.Hour},
		{in: "", err: true},
		{in: "s", err: true},
		{in: "-1", err: true},
	}
	for _, c := range cases {
		d := &Directive{Name: "keepalive_timeout", Args: []string{c.in}, File: "t", Line: 1}
		got, err := parseTime(d, c.in)
		if c.err {
			assert.EqualError(t, err, `"keepalive_timeout" directive invalid value in t:1`, c.in)
			continue
		}
		assert.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
}

func TestParseSize(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		err  bool
	}{
		{in: "0", want: 0},
		{in: "100", want: 100},
		{in: "8k", want: 8 << 10},
		{in: "1M", want: 1 << 20},
		{in: "2g", want: 2 << 30},
		{in: "1.5m", err: true},
		{in: "k", err: true},
		{in: "-1", err: true},
	}
	for _, c := range cases {
		d := &Directive{Name: "client_max_body_size", Args: []string{c.in}, File: "t", Line: 1}
		got, err := parseSize(d)
		if c.err {
			assert.Error(t, err, c.in)
			continue
		}
		assert.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
}

func TestLevelInheritance(t *testing.T) {
	parent, child := defaultLevel(), newLevel()
	typ := "text/html"
	child.defaultType = &typ
	child.addHeaders = []*Directive{{Name: "add_header"}}
	child.inherit(parent)
	assert.Equal(t, "text/html", *child.defaultType, "own value kept")
	assert.Equal(t, int64(1<<20), *child.maxBody, "parent value inherited")
	assert.Len(t, child.addHeaders, 1, "own add_header replaces the parent's")
	assert.Equal(t, []string{"index.html"}, child.index)
}
