// Command quorum-ferretdb runs FerretDB v1.24 (SQLite backend) for Quorum's embedded default.
//
// Why a launcher and not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`:
// the module archive of v1.24.2 lacks the generated build/version/version.txt, so the
// upstream command panics at start when built with `go install`. FerretDB's documented
// embeddable package (github.com/FerretDB/FerretDB/ferretdb) runs the same handler and
// listener without that file.
//
// Around FerretDB the launcher adds what Quorum needs of its SQLite files:
//   - an index on the expression FerretDB queries _id with (indexes.go);
//   - secure_delete on every FerretDB connection (sqliteurl.go), and a checkpoint on request
//     (checkpoint.go), so deleted data leaves the files before a deletion certificate says so;
//   - synchronous=NORMAL on every connection (sqliteurl.go): commits without an fsync each;
//   - wal_autocheckpoint=20000 on every connection (sqliteurl.go): fewer, larger checkpoints;
//   - a busy handler that retries within microseconds, not milliseconds (busy.go); statement
//     arguments left unformatted unless logged (quietlog.go); fewer garbage collections (gc.go);
//   - commands on standard input (control.go). The launcher exits when its standard input
//     closes, so it never outlives the Quorum process that started it, even if that process is
//     killed with SIGKILL.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-close", true, "read commands on standard input and exit when it reaches EOF")
	scrubTimeout := flag.Duration("scrub-timeout", 20*time.Second, "how long a scrub may wait for the databases' readers and writers")
	indexEvery := flag.Duration("index-interval", 200*time.Millisecond, "how often to look for collection tables lacking the _id index")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "quorum-ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(newLazyHandler(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	installBusyHandler(logger)
	tuneGarbageCollector()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	ferretURL, dir, err := withLauncherPragmas(*sqliteURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quorum-ferretdb: bad -sqlite-url: %s\n", err)
		os.Exit(2)
	}

	// Databases that exist already are indexed before FerretDB opens them, so no query of
	// this run scans for an _id; tables created later are indexed by the watcher.
	if err := indexAll(ctx, dir, logger); err != nil {
		logger.Warn("quorum-ferretdb: cannot index _id", slog.String("error", err.Error()))
	}
	go newIDIndexWatcher(dir, logger).run(ctx, *indexEvery)

	if *watchStdin {
		go serveCommands(ctx, os.Stdin, os.Stdout, dir, *scrubTimeout, stop)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: ferretURL,
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
