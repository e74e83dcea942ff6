package oracletest_test

import (
	"fmt"

	"github.com/goresty/goresty/internal/oracletest"
)

func ExampleDiff() {
	nginx := &oracletest.Result{Status: 200, Header: []string{"Content-Type: text/plain"}, Body: "hello\n"}
	goresty := &oracletest.Result{Status: 200, Header: []string{"Content-Type: text/plain"}, Body: "hello"}
	fmt.Print(oracletest.Diff(nginx, goresty))
	// Output:
	// body:
	//   want "hello\n"
	//   got  "hello"
}
