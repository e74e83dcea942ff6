package ngx

import "os"

// hostname is $hostname, read once.
var hostname = func() string {
	h, _ := os.Hostname()
	return h
}()
