// Package upstream provides pooled upstream connections (github.com/jackc/puddle/v2), cosockets for
// Lua, load balancers, health checks and a reverse proxy.
package upstream
