// Command nginxconf serves an nginx.conf with goresty, in the foreground, as nginx would serve
// the http, server and location blocks of it that goresty supports.
//
//	go run ./examples/nginxconf [-p PREFIX] [-c FILE] [-t]
//
// -p is nginx's prefix (default: the current directory): relative paths in the configuration
// resolve against it. -c is the configuration file (default conf/nginx.conf, relative to the
// prefix). -t checks the configuration and exits, as nginx -t does.
//
// Signals, as nginx: SIGHUP loads the configuration and its Lua code again and serves new
// requests with it while requests in flight finish on the old one (a configuration that fails
// to load is reported and the old one kept; shared dicts of unchanged name and size keep their
// data); SIGUSR1 reopens the log files; SIGTERM, SIGINT
// and SIGQUIT stop accepting connections and exit once the requests in flight are done.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT)
	if err := run(context.Background(), os.Args[1:], os.Stderr, sigs, nil); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(os.Stderr, "goresty: [emerg] %v\n", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// options are the command line.
type options struct {
	prefix string
	conf   string
	test   bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("nginxconf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.prefix, "p", ".", "prefix: relative paths of the configuration resolve against it")
	fs.StringVar(&o.conf, "c", "conf/nginx.conf", "configuration file, relative to the prefix")
	fs.BoolVar(&o.test, "t", false, "test the configuration and exit")
	if err := fs.Parse(args); err != nil {
		return o, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		return o, errUsage
	}
	abs, err := filepath.Abs(o.prefix)
	if err != nil {
		return o, err
	}
	o.prefix = abs
	if !filepath.IsAbs(o.conf) {
		o.conf = filepath.Join(o.prefix, o.conf)
	}
	return o, nil
}

// run is the command: it serves until ctx ends or a stop signal arrives on sigs. ready, when
// not nil, receives the server once it listens (tests use it).
func run(ctx context.Context, args []string, stderr io.Writer, sigs <-chan os.Signal, ready chan<- *server) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.test {
		return check(o, stderr)
	}
	s := newServer(o, stderr)
	if err := s.start(); err != nil {
		return err
	}
	if ready != nil {
		ready <- s
	}
	for {
		select {
		case <-ctx.Done():
			return s.stop()
		case sig := <-sigs:
			switch sig {
			case syscall.SIGHUP:
				s.reload()
			case syscall.SIGUSR1:
				s.reopen()
			default:
				s.logf("notice", "signal %d (%v) received, exiting", sig, sig)
				return s.stop()
			}
		}
	}
}

// check is -t: load the configuration and say so, as nginx -t.
func check(o options, stderr io.Writer) error {
	c, err := load(o, nil)
	if err != nil {
		fmt.Fprintf(stderr, "goresty: [emerg] %v\ngoresty: configuration file %s test failed\n", err, o.conf)
		return errUsage
	}
	c.Close()
	fmt.Fprintf(stderr, "goresty: the configuration file %s syntax is ok\n"+
		"goresty: configuration file %s test is successful\n", o.conf, o.conf)
	return nil
}
