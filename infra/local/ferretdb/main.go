// Command quorum-ferretdb runs FerretDB v1.24 (SQLite backend) for Quorum's embedded default.
//
// Why a launcher and not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`:
// the module archive of v1.24.2 lacks the generated build/version/version.txt, so the
// upstream command panics at start when built with `go install`. FerretDB's documented
// embeddable package (github.com/FerretDB/FerretDB/ferretdb) runs the same handler and
// listener without that file.
//
// The launcher exits when its standard input closes, so it never outlives the Quorum
// process that started it, even if that process is killed with SIGKILL.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-close", true, "exit when standard input reaches EOF")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "quorum-ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "quorum-ferretdb: %s\n", err)
		os.Exit(1)
	}

	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "quorum-ferretdb: %s\n", err)
		os.Exit(1)
	}
}
