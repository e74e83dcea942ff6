package resty

// Close releases what the Handler holds (its Lua states). Pending ngx.timer callbacks run at
// once with premature true, and Close waits for them and for running ones, as nginx does when a
// worker exits. Requests still running finish first on the states they hold; new requests must
// not be sent to a closed Handler. A server that reloads its configuration builds a new Handler,
// switches to it, then closes the old one.
func (h *Handler) Close() {
	if h.lua.timers != nil {
		h.lua.timers.Close()
	}
	if h.lua.engine != nil {
		h.lua.engine.Close()
	}
	if h.lua.sockets != nil {
		h.lua.sockets.Close()
	}
}
