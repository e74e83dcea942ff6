package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/resty/restytest"
)

func TestHello(t *testing.T) {
	h, err := newHandler(app())
	require.NoError(t, err)

	resp := restytest.Get(h, "/hello")
	restytest.AssertStatus(t, resp, http.StatusOK)
	restytest.AssertHeader(t, resp, "Content-Type", "text/plain")
	restytest.AssertBody(t, resp, "Hello, World from OpenResty!\n")

	resp = restytest.Get(h, "/other")
	restytest.AssertStatus(t, resp, http.StatusOK)
	restytest.AssertBody(t, resp, "app: GET /other\n")
}
