package ngx_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

func TestTemplate(t *testing.T) {
	r, _ := newRequest(t, "/p/q?a=1", &ngx.Options{Variables: map[string]bool{"name": true}})
	require.NoError(t, r.SetVar("name", "N"))
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"$uri", "/p/q"},
		{"$scheme://$host$uri?$args", "http://example.com/p/q?a=1"},
		{"${name}_x", "N_x"},
		{"$name_x", ""},
		{"[$arg_a]", "[1]"},
		{"$1", ""},
		{"cost: 5$", ""},
	}
	for _, tt := range tests {
		tpl, err := ngx.ParseTemplate(tt.in)
		if tt.in == "cost: 5$" {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, tpl.Expand(r), tt.in)
	}
	_, err := ngx.ParseTemplate("${broken")
	assert.EqualError(t, err, `the closing bracket in "{broken" variable is missing`)
}
