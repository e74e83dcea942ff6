package sharedict

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorStrings(t *testing.T) {
	tests := []struct {
		err    *Error
		want   string
		raised bool
	}{
		{ErrNilKey, "nil key", false},
		{ErrEmptyKey, "empty key", false},
		{ErrKeyTooLong, "key too long", false},
		{ErrExists, "exists", false},
		{ErrNotFound, "not found", false},
		{ErrNotNumber, "not a number", false},
		{ErrNoMemory, "no memory", false},
		{ErrNoMemoryNewList, "no memory", false},
		{ErrNotList, "value not a list", false},
		{ErrIsList, "value is a list", false},
		{ErrBadValueType, "bad value type", false},
		{ErrNilValue, "attempt to add or replace nil values", false},
		{ErrClosed, "closed", false},
		{ErrBadExptime, `bad "exptime" argument`, true},
		{ErrBadInitTTL, `bad "init_ttl" argument`, true},
		{ErrInitTTLWithoutInit, `must provide "init" when providing "init_ttl"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, tt.raised, tt.err.Raised())
		})
	}
}

func TestErrNoMemoryNewListIsErrNoMemory(t *testing.T) {
	assert.ErrorIs(t, ErrNoMemoryNewList, ErrNoMemory)
	assert.NotErrorIs(t, ErrNoMemory, ErrNoMemoryNewList)
	assert.NotErrorIs(t, ErrExists, ErrNoMemory)
}

func TestCheckKey(t *testing.T) {
	tests := []struct {
		key  string
		want error
	}{
		{"", ErrEmptyKey},
		{"k", nil},
		{strings.Repeat("k", maxKeyLen), nil},
		{strings.Repeat("k", maxKeyLen+1), ErrKeyTooLong},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, checkKey(tt.key), "len %d", len(tt.key))
	}
}
