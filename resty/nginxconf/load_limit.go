package nginxconf

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/limit"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/sharedict"
)

// nginx's limit_req module on package limit: a limit_req_zone is a sharedict.Dict, each
// limit_req a limit.Req (resty.limit.req, nginx's leaky bucket: the same excess, drained at
// the rate, the same rejection above burst) on it, and the module's handler, which limit has
// no twin of, is limitReqs.run: once per request, before allow, deny and access_by_lua, all
// the location's limits at once (limit.Combine: none is charged unless all admit), the delay
// of the slowest (delay=N and nodelay per limit), limit_req_status, limit_req_dry_run,
// limit_req_log_level and $limit_req_status.

// limitZone is a limit_req_zone.
type limitZone struct {
	name string
	key  *tmpl
	src  string  // the key as written
	rate float64 // requests per second, rounded down to nginx's 0.001
	zn   *zone
}

// limitReqZone reads limit_req_zone key zone=name:size rate=Nr/s|Nr/m.
func (ld *loader) limitReqZone(d *Directive) error {
	key, err := ld.compile(d, d.Args[0], nil)
	if err != nil {
		return err
	}
	var name, sizeArg string
	var size int64
	rate := 1.0
	for _, a := range d.Args[1:] {
		switch {
		case strings.HasPrefix(a, "zone="):
			var ok bool
			if name, sizeArg, ok = strings.Cut(a[5:], ":"); !ok {
				return d.Errorf("invalid zone size %q", a)
			}
			if size, err = sharedict.ParseSize(sizeArg); err != nil {
				return d.Errorf("invalid zone size %q", a)
			}
			if size < 32768 { // 8 pages
				return d.Errorf("zone %q is too small", a)
			}
		case strings.HasPrefix(a, "rate="):
			if rate, err = parseRate(a); err != nil {
				return d.Errorf("invalid rate %q", a)
			}
		default:
			return d.Errorf("invalid parameter %q", a)
		}
	}
	if name == "" {
		return d.Errorf("%q must have \"zone\" parameter", d.Name)
	}
	if _, other := ld.cfg.held[name]; other {
		return d.Errorf("the shared memory zone %q is already declared for a different use", name)
	}
	if old, dup := ld.cfg.limitZones[name]; dup {
		if old.zn.size != size {
			return d.Errorf("the size %d of shared memory zone %q conflicts with already declared size %d",
				size, name, old.zn.size)
		}
		return d.Errorf("%s %q is already bound to key %q", d.Name, name, old.src)
	}
	zn, err := ld.cfg.zones.acquire(name, size, d.Name)
	if err != nil {
		return d.Errorf("%s %q: %v", d.Name, name, err)
	}
	if zn.key != "" && zn.key != d.Args[0] { // a reload that changes the key
		ld.cfg.zones.release(zn)
		return d.Errorf("limit_req %q uses the %q key while previously it used the %q key",
			name, d.Args[0], zn.key)
	}
	zn.key = d.Args[0]
	ld.cfg.limitZones[name] = &limitZone{name: name, key: key, src: d.Args[0], rate: rate, zn: zn}
	return nil
}

// parseRate reads rate=N, rate=Nr/s or rate=Nr/m into requests per second, kept in
// thousandths rounded down as nginx keeps it (30r/m is 0.5, 1r/m is 0.016).
func parseRate(a string) (float64, error) {
	n, scale := a[5:], int64(1)
	if v, ok := strings.CutSuffix(n, "r/s"); ok {
		n = v
	} else if v, ok := strings.CutSuffix(n, "r/m"); ok {
		n, scale = v, 60
	}
	r, err := strconv.ParseInt(n, 10, 64)
	if err != nil || r <= 0 || r > math.MaxInt64/1000 {
		return 0, errors.New("invalid rate")
	}
	return float64(r*1000/scale) / 1000, nil
}

// limitReqSpec is one limit_req directive as read; its zone is found when the server is built,
// as nginx binds zones once the whole configuration is read.
type limitReqSpec struct {
	d     *Directive
	zone  string
	burst int64
	delay float64 // excess requests served without delay; +Inf for nodelay
}

// parseLimitReq reads limit_req zone=name [burst=N] [nodelay | delay=N].
func parseLimitReq(d *Directive) (*limitReqSpec, error) {
	s := &limitReqSpec{d: d}
	for _, a := range d.Args {
		switch {
		case strings.HasPrefix(a, "zone="):
			s.zone = a[5:]
		case strings.HasPrefix(a, "burst="):
			n, err := strconv.ParseInt(a[6:], 10, 32)
			if err != nil || n <= 0 {
				return nil, d.Errorf("invalid burst value %q", a)
			}
			s.burst = n
		case strings.HasPrefix(a, "delay="):
			n, err := strconv.ParseInt(a[6:], 10, 32)
			if err != nil || n <= 0 {
				return nil, d.Errorf("invalid delay value %q", a)
			}
			s.delay = float64(n)
		case a == "nodelay":
			s.delay = math.Inf(1)
		default:
			return nil, d.Errorf("invalid parameter %q", a)
		}
	}
	if s.zone == "" {
		return nil, d.Errorf("%q must have \"zone\" parameter", d.Name)
	}
	return s, nil
}

// limitReq is a limit_req bound to its zone.
type limitReq struct {
	zone  *limitZone
	lim   *limit.Req
	delay float64
}

// limitReqs is the limit_req settings of a location.
type limitReqs struct {
	reqs     []*limitReq
	status   int
	level    ngx.Level // of rejections; delays are logged one level lower
	dryRun   bool
	setVar   bool // the location's Lua reads $limit_req_status
	limiters []limit.Limiter
}

// limitReqsOf binds the limit_req directives of a level to their zones; nil for none.
func (sb *serverBuild) limitReqsOf(l *level, luaReads bool) (*limitReqs, error) {
	if len(l.limitReqs) == 0 {
		return nil, nil
	}
	ls := &limitReqs{status: *l.limitStatus, level: *l.limitLevel, dryRun: *l.limitDryRun,
		setVar: luaReads}
	for _, s := range l.limitReqs {
		lz, ok := sb.ld.cfg.limitZones[s.zone]
		if !ok {
			return nil, &Error{Msg: "zero size shared memory zone \"" + s.zone + "\""}
		}
		lim, err := limit.NewReq(lz.zn.dict, lz.rate, float64(s.burst))
		if err != nil {
			return nil, s.d.Errorf("%v", err)
		}
		ls.reqs = append(ls.reqs, &limitReq{zone: lz, lim: lim, delay: s.delay})
		ls.limiters = append(ls.limiters, lim)
	}
	return ls, nil
}

func (ls *limitReqs) hook() resty.Hook { return resty.Hook{Phase: ngx.PhaseAccess, Go: ls.run} }

// limitStatusKey keeps $limit_req_status with Request.SetValue: it also marks a request the
// limits have seen, which they do not see again after an internal redirect, as in nginx.
type limitStatusKey struct{}

func (ls *limitReqs) run(r *ngx.Request) error {
	if r.Value(limitStatusKey{}) != nil {
		return nil
	}
	excess, which, err := ls.incoming(r)
	if which < 0 {
		return nil // every key was empty
	}
	dry := ""
	if ls.dryRun {
		dry = ", dry run"
	}
	if err != nil {
		if errors.Is(err, limit.ErrRejected) {
			r.Log(ls.level, "limiting requests"+dry+" by zone \""+ls.reqs[which].zone.name+"\"")
		} else {
			r.Log(ngx.LevelErr, "limit_req zone \""+ls.reqs[which].zone.name+"\": "+err.Error())
		}
		if ls.dryRun {
			return ls.done(r, "REJECTED_DRY_RUN", nil)
		}
		return ls.done(r, "REJECTED", r.Exit(ls.status))
	}
	wait, slowest := ls.delay(excess)
	if wait == 0 {
		return ls.done(r, "PASSED", nil)
	}
	r.Log(min(ls.level+1, ngx.LevelInfo), "delaying request"+dry+", excess: "+
		strconv.FormatFloat(excess[slowest], 'f', 3, 64)+", by zone \""+ls.reqs[slowest].zone.name+"\"")
	if ls.dryRun {
		return ls.done(r, "DELAYED_DRY_RUN", nil)
	}
	if err := ls.done(r, "DELAYED", nil); err != nil {
		return err
	}
	return delayRequest(r, wait)
}

// incoming runs the request through the limits whose key is not empty, charging none unless
// all admit it. It returns the excess of each limit, the index of the limit that decided
// (-1 when every key was empty) and limit.ErrRejected or the store's error.
func (ls *limitReqs) incoming(r *ngx.Request) ([]float64, int, error) {
	var lims []limit.Limiter
	var keys []string
	var idx []int
	for i, l := range ls.reqs {
		if key := l.zone.key.expand(r); key != "" {
			lims, keys, idx = append(lims, ls.limiters[i]), append(keys, key), append(idx, i)
		}
	}
	excess := make([]float64, len(ls.reqs))
	switch len(idx) {
	case 0:
		return nil, -1, nil
	case 1:
		_, e, err := lims[0].Incoming(keys[0], true)
		excess[idx[0]] = e
		return excess, idx[0], err
	}
	states := make([]float64, len(lims))
	_, err := limit.Combine(lims, keys, states)
	for j, i := range idx {
		excess[i] = states[j]
	}
	which := idx[len(idx)-1]
	if errors.Is(err, limit.ErrRejected) {
		// Name the limit that rejects, as nginx does; asking records nothing.
		for j, i := range idx {
			if _, _, e := lims[j].Incoming(keys[j], false); errors.Is(e, limit.ErrRejected) {
				which = i
				break
			}
		}
	}
	return excess, which, err
}

// delay is nginx's delay of an admitted request: for each limit (excess - delay) / rate, in
// whole milliseconds, the largest, and the limit it is of.
func (ls *limitReqs) delay(excess []float64) (time.Duration, int) {
	var most int64
	slowest := 0
	for i, l := range ls.reqs {
		over := excess[i] - l.delay
		if over <= 0 {
			continue
		}
		if ms := int64(over * 1000 / l.zone.rate); ms > most {
			most, slowest = ms, i
		}
	}
	return time.Duration(most) * time.Millisecond, slowest
}

// done records the request's $limit_req_status and returns err.
func (ls *limitReqs) done(r *ngx.Request, status string, err error) error {
	r.SetValue(limitStatusKey{}, status)
	if ls.setVar {
		_ = r.SetVar("limit_req_status", status)
	}
	return err
}

// delayRequest delays the request d, as limit_req does; a client that goes away meanwhile ends it
// with 499, as nginx.
func delayRequest(r *ngx.Request, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		r.Clock().Update()
		return nil
	case <-r.Context().Done():
		return r.Exit(499)
	}
}
