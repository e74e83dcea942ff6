package ngx_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

// In an error page, Status reads the page's status, as ngx.status reads nginx's err_status;
// SetStatus (nginx's return) leaves it, OverrideStatus (ngx.status = code) replaces it (oracle
// cases ep_* in output.cases).
func TestStatusInAnErrorPage(t *testing.T) {
	r := ngx.NewRequest(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), &ngx.Options{})
	assert.Zero(t, r.Status())
	r.UseErrorPage(404, 200)
	assert.Equal(t, 200, r.Status(), "error_page 404 =200")
	require.NoError(t, r.SetStatus(201))
	assert.Equal(t, 200, r.Status(), "the page's status wins over SetStatus")
	require.NoError(t, r.OverrideStatus(201))
	assert.Equal(t, 201, r.Status())
}
