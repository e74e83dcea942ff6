package limit

import "fmt"

// Combine is resty.limit.traffic's combine: it runs a request through several limiters, keys[i]
// for limiters[i], and admits it only if all admit it, with the largest of their delays. When
// states is not nil, states[i] receives the state (second result) of limiters[i].
//
// As in OpenResty it first asks every limiter but the last without committing and the last with
// commit; any rejection there ends the call with nothing else recorded (the last limiter's own
// rejection may have counted, as a rejected resty.limit.count request does). Then it commits the
// others in order; if one of them rejects now (its state moved meanwhile), the ones before it and
// the last one are uncommitted, ignoring their errors, and the rejection is returned.
//
// Combine is not atomic as a whole: each limiter decides atomically, one after the other.
func Combine(limiters []Limiter, keys []string, states []float64) (float64, error) {
	n := len(limiters)
	if len(keys) < n {
		return 0, fmt.Errorf("limit: Combine: %d keys for %d limiters", len(keys), n)
	}
	if states != nil && len(states) < n {
		return 0, fmt.Errorf("limit: Combine: %d states for %d limiters", len(states), n)
	}
	if n == 0 {
		return 0, nil
	}
	var maxDelay float64
	for i, lim := range limiters {
		last := i == n-1
		delay, state, err := lim.Incoming(keys[i], last)
		if err != nil {
			return 0, err
		}
		if last {
			if states != nil {
				states[i] = state
			}
			maxDelay = delay
		}
	}
	for i, lim := range limiters[:n-1] {
		delay, state, err := lim.Incoming(keys[i], true)
		if err != nil {
			for j := range i {
				_ = limiters[j].Uncommit(keys[j])
			}
			_ = limiters[n-1].Uncommit(keys[n-1])
			return 0, err
		}
		if states != nil {
			states[i] = state
		}
		maxDelay = max(maxDelay, delay)
	}
	return maxDelay, nil
}
