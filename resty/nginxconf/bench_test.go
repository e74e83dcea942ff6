package nginxconf

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkParseRealWorld parses the realistic OpenResty gateway configuration.
func BenchmarkParseRealWorld(b *testing.B) {
	data, err := os.ReadFile("testdata/realworld_gateway.conf")
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "gateway.conf"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFormatRealWorld writes the same configuration in canonical form.
func BenchmarkFormatRealWorld(b *testing.B) {
	data, err := os.ReadFile("testdata/realworld_gateway.conf")
	require.NoError(b, err)
	ds, err := Parse(bytes.NewReader(data), "gateway.conf")
	require.NoError(b, err)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Format(&buf, ds); err != nil {
			b.Fatal(err)
		}
	}
}
