// Package cache provides a response cache in the manner of nginx's proxy_cache and an
// lrucache-style module for Lua (resty.lrucache), both backed by github.com/dgraph-io/ristretto/v2.
package cache
