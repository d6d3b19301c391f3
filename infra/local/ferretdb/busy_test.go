package main

import (
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"
)

var installOnce sync.Once

// openWithHandler opens a database file with the launcher's busy handler on every connection.
func openWithHandler(t *testing.T, path string, busyTimeoutMs int) *sql.DB {
	t.Helper()
	installOnce.Do(func() { installBusyHandler(slog.Default()) })
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(wal)", path, busyTimeoutMs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	return db
}

// holdWriteLock opens a database file twice: a transaction holding its write lock, and a second
// connection (busy timeout waiterTimeoutMs) to try writing beside it.
func holdWriteLock(t *testing.T, waiterTimeoutMs int) (*sql.Tx, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "locked.db")
	holder := openWithHandler(t, path, 10_000)
	waiter := openWithHandler(t, path, waiterTimeoutMs)
	if _, err := holder.Exec("CREATE TABLE t (v INTEGER)"); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	return tx, waiter
}

func TestConnectionHandleReadsTheDriversConnection(t *testing.T) {
	var got bool
	var once sync.Once
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, _ string) error {
		once.Do(func() { _, _, got = connectionHandle(conn) })
		return nil
	})
	db := openWithHandler(t, filepath.Join(t.TempDir(), "handle.db"), 1000)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if !got {
		t.Fatal("connectionHandle did not recognize modernc.org/sqlite's connection")
	}
}

func TestBusyTimeoutOf(t *testing.T) {
	cases := map[string]time.Duration{
		"file:/d/x.sqlite?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)": 10 * time.Second,
		"file:/d/x.sqlite?mode=rw&_pragma=busy_timeout%28100%29":                 100 * time.Millisecond,
		"file:/d/x.sqlite?_pragma=journal_mode(wal)":                             defaultBusyTimeout,
		"file:/d/x.sqlite": defaultBusyTimeout,
	}
	for dsn, want := range cases {
		if got := busyTimeoutOf(dsn); got != want {
			t.Errorf("busyTimeoutOf(%q) = %s, want %s", dsn, got, want)
		}
	}
	// The tries add up to the timeout: 10 s of waits of at most 500 µs.
	if tries := busyTries(10 * time.Second); tries < 20_000 || tries > 20_010 {
		t.Errorf("busyTries(10s) = %d", tries)
	}
}

// A writer that finds the lock taken waits with busyWait until it is free, then succeeds.
func TestWriterWaitsForTheLockWithBusyWait(t *testing.T) {
	tx, waiter := holdWriteLock(t, 10_000)
	before := busyWaits.Load()
	done := make(chan error, 1)
	go func() {
		_, err := waiter.Exec("INSERT INTO t VALUES (2)")
		done <- err
	}()
	// The lock is released only once the waiter has been seen waiting in busyWait.
	for busyWaits.Load() == before {
		select {
		case err := <-done:
			t.Fatalf("the second writer finished while the lock was held: %v", err)
		default:
			time.Sleep(time.Millisecond)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the waiting writer failed: %v", err)
	}
	var n int
	if err := waiter.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows = %d (%v), want 2", n, err)
	}
}

// A writer still refused after its connection's busy_timeout gets SQLITE_BUSY, as with SQLite's
// own handler.
func TestWriterGivesUpAfterItsBusyTimeout(t *testing.T) {
	tx, waiter := holdWriteLock(t, 50)
	defer tx.Rollback()
	_, err := waiter.Exec("INSERT INTO t VALUES (2)")
	if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
		t.Fatalf("got %v, want SQLITE_BUSY", err)
	}
}
