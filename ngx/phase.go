package ngx

// Phase is a stage of request processing, in nginx's order.
type Phase uint8

// The phases. Init and InitWorker run outside any request; Set runs set_by_lua hooks as part of
// rewrite; Timer runs ngx.timer callbacks.
const (
	PhaseInit Phase = iota + 1
	PhaseInitWorker
	PhaseSet
	PhaseRewrite
	PhaseAccess
	PhaseContent
	PhaseHeaderFilter
	PhaseBodyFilter
	PhaseLog
	PhaseTimer
	phaseEnd
)

var phaseNames = [...]string{
	PhaseInit:         "init",
	PhaseInitWorker:   "init_worker",
	PhaseSet:          "set",
	PhaseRewrite:      "rewrite",
	PhaseAccess:       "access",
	PhaseContent:      "content",
	PhaseHeaderFilter: "header_filter",
	PhaseBodyFilter:   "body_filter",
	PhaseLog:          "log",
	PhaseTimer:        "timer",
}

// String returns the phase's name as ngx.get_phase() reports it ("rewrite", "header_filter", ...).
func (p Phase) String() string {
	if p.Valid() {
		return phaseNames[p]
	}
	return "unknown"
}

// Valid reports whether p is one of the defined phases.
func (p Phase) Valid() bool { return p >= PhaseInit && p < phaseEnd }

// ParsePhase returns the phase with the given name, as String prints it.
func ParsePhase(name string) (Phase, bool) {
	for p := PhaseInit; p < phaseEnd; p++ {
		if phaseNames[p] == name {
			return p, true
		}
	}
	return 0, false
}

// CanOutput reports whether the phase may produce response output (say, print, flush, exit with a
// body): only the request phases that run before the response headers. Go hooks of the set
// phase may (they implement nginx's rewrite-module directives, such as return); Lua's
// set_by_lua may not, as in OpenResty.
func (p Phase) CanOutput() bool {
	return p == PhaseSet || p == PhaseRewrite || p == PhaseAccess || p == PhaseContent
}
