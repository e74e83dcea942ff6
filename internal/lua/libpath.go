package lua

import (
	"fmt"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// Values that exist in every state before Config.Init runs (the standard library, what Setup
// installs, the engine's helpers) are not copied from the template state: a copy refers to the
// new state's own value at the same place, found by following a libPath from a root.

// Roots of library paths; rootHelpers+h is helper h.
const (
	rootGlobals = iota
	rootRegistry
	rootStringMeta
	rootHelpers
)

var rootNames = [...]string{"_G", "the registry", "the string metatable"}

// pathStep goes from a value to another: the field key (a string, number or boolean), the
// metatable, or upvalue up (from 1).
type pathStep struct {
	key  any
	meta bool
	up   int
}

// libPath locates a library value: a root, or a step from a parent.
type libPath struct {
	parent *libPath
	root   int
	step   pathStep
}

// pushRoot pushes root r of s; it reports false (pushing nothing) when s has none.
func pushRoot(s *State, r int) bool {
	l := s.L
	switch {
	case r == rootGlobals:
		l.PushGlobalTable()
	case r == rootRegistry:
		l.PushValue(glua.RegistryIndex)
	case r == rootStringMeta:
		l.PushString("")
		if !l.MetaTable(-1) {
			l.Pop(1)
			return false
		}
		l.Remove(-2)
	case r-rootHelpers < int(numHelpers):
		l.PushLightUserData(s.vm.helpers[r-rootHelpers])
	default:
		return false
	}
	return true
}

// push pushes the value p locates in s; it reports false (pushing nothing) when there is none.
func (p *libPath) push(s *State) bool {
	if p.parent == nil {
		return pushRoot(s, p.root)
	}
	if !p.parent.push(s) {
		return false
	}
	l := s.L
	ok := true
	switch st := p.step; {
	case st.meta:
		ok = l.MetaTable(-1)
	case st.up > 0:
		_, ok = glua.UpValue(l, -1, st.up)
	case l.IsTable(-1):
		l.PushLightUserData(st.key)
		l.RawGet(-2)
	default:
		ok = false
	}
	if ok {
		l.Remove(-2)
	} else {
		l.Pop(1)
	}
	return ok
}

// String names the place p locates, as error messages show it ("_G.cfg.list[2]").
func (p *libPath) String() string {
	if p.parent == nil {
		if p.root < rootHelpers {
			return rootNames[p.root]
		}
		return fmt.Sprintf("helper %d", p.root-rootHelpers)
	}
	return p.parent.String() + p.step.String()
}

// String formats a step after the name of the value it starts from.
func (st pathStep) String() string {
	switch {
	case st.meta:
		return "'s metatable"
	case st.up > 0:
		return fmt.Sprintf("'s upvalue %d", st.up)
	}
	return keyString(st.key)
}

// keyString formats a field access: ".name" for identifier-like strings, else "[key]".
func keyString(k any) string {
	switch k := k.(type) {
	case string:
		if isIdentifier(k) {
			return "." + k
		}
		return fmt.Sprintf("[%q]", k)
	case float64:
		return fmt.Sprintf("[%.14g]", k)
	case bool:
		return fmt.Sprintf("[%t]", k)
	}
	return "[?]"
}

func isIdentifier(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
}
