package ngxlua

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSemaphoreQueue(t *testing.T) {
	s := &semaphore{count: 1}
	assert.True(t, s.take())
	assert.False(t, s.take())
	a, b := s.enqueue(), s.enqueue()
	assert.Equal(t, -2, s.value())
	s.post(1) // a came first
	assert.True(t, isClosed(a))
	assert.False(t, isClosed(b))
	assert.False(t, s.cancel(a), "a was handed a resource")
	assert.True(t, s.cancel(b))
	assert.Equal(t, 0, s.value())
	s.post(2)
	c := s.CopyForVM().(*semaphore)
	assert.Equal(t, 2, c.value())
	c.take()
	assert.Equal(t, 2, s.value(), "a copy is independent")
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
