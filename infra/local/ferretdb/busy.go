package main

// A finer busy handler on every FerretDB connection.
//
// SQLite has one writer per database file. A connection that finds the write lock taken calls
// its busy handler; the one FerretDB's busy_timeout(10000) installs sleeps 1, 2, 5, 10, 15, 20,
// 25… ms between tries, while FerretDB holds the lock for well under a millisecond per
// statement (its documents are decoded and encoded outside the transaction). With a few
// statements in flight on one tenant's file, writers slept far longer than they waited: the
// scale bench left both cores ~30% idle while growing a tenant, and 16,000 of those sleeps were
// counted in 45 s. This handler retries after 20 µs, doubling to at most 500 µs, for as long
// in all as the connection's busy_timeout says (FerretDB's 10 s; the launcher's own scrub
// connections wait 100 ms a try); a statement still refused then gets SQLITE_BUSY as before.
//
// The driver offers no option for it, only a hook on each new connection with the connection
// itself; the handle SQLite needs is an unexported field of it, read here with reflect. If a
// driver version lays the connection out otherwise, the hook leaves the connection with
// FerretDB's busy_timeout and says so once: slower, never wrong.

import (
	"log/slog"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

const (
	busyFirstWait = 20 * time.Microsecond
	busyMaxWait   = 500 * time.Microsecond
	// FerretDB's busy_timeout, for a connection whose DSN names none.
	defaultBusyTimeout = 10 * time.Second
)

func busyWaitBefore(try int32) time.Duration {
	return min(busyFirstWait<<min(try, 5), busyMaxWait)
}

// busyTries is how many tries take `timeout` in all.
func busyTries(timeout time.Duration) int32 {
	var waited time.Duration
	var tries int32
	for waited < timeout {
		waited += busyWaitBefore(tries)
		tries++
	}
	return tries
}

// busyWaits counts the waits, for the tests.
var busyWaits atomic.Int64

// busyWait is called by SQLite with the number of times it was called for this lock wait and
// the connection's argument, here its number of tries; nonzero means "try again".
func busyWait(_ *libc.TLS, tries uintptr, count int32) int32 {
	if uintptr(count) >= tries {
		return 0
	}
	busyWaits.Add(1)
	time.Sleep(busyWaitBefore(count))
	return 1
}

// busyTimeoutOf reads `_pragma=busy_timeout(N)` (milliseconds) from a connection's DSN.
func busyTimeoutOf(dsn string) time.Duration {
	_, query, _ := strings.Cut(dsn, "?")
	values, err := url.ParseQuery(query)
	if err != nil {
		return defaultBusyTimeout
	}
	for _, pragma := range values["_pragma"] {
		if ms, ok := strings.CutPrefix(pragma, "busy_timeout("); ok {
			if n, err := strconv.Atoi(strings.TrimSuffix(ms, ")")); err == nil && n >= 0 {
				return time.Duration(n) * time.Millisecond
			}
		}
	}
	return defaultBusyTimeout
}

// busyWaitPointer is busyWait as the transpiled SQLite calls its function pointers: the
// address of a Go func value (see modernc.org/sqlite's own callbacks).
var busyWaitPointer = *(*uintptr)(unsafe.Pointer(&struct {
	f func(*libc.TLS, uintptr, int32) int32
}{busyWait}))

var warnLayoutOnce sync.Once

// installBusyHandler registers the hook that gives every new SQLite connection busyWait.
func installBusyHandler(logger *slog.Logger) {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
		db, tls, ok := connectionHandle(conn)
		if !ok {
			warnLayoutOnce.Do(func() {
				logger.Warn("quorum-ferretdb: SQLite connections keep the default busy handler (driver layout not recognized)")
			})
			return nil
		}
		if rc := sqlite3.Xsqlite3_busy_handler(tls, db, busyWaitPointer, uintptr(busyTries(busyTimeoutOf(dsn)))); rc != sqlite3.SQLITE_OK {
			warnLayoutOnce.Do(func() {
				logger.Warn("quorum-ferretdb: cannot set the SQLite busy handler", slog.Int("rc", int(rc)))
			})
		}
		return nil
	})
}

// connectionHandle reads the sqlite3* handle and the TLS of a modernc.org/sqlite connection.
func connectionHandle(conn sqlite.ExecQuerierContext) (db uintptr, tls *libc.TLS, ok bool) {
	v := reflect.ValueOf(conn)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return 0, nil, false
	}
	dbField := v.Elem().FieldByName("db")
	tlsField := v.Elem().FieldByName("tls")
	if !dbField.IsValid() || dbField.Kind() != reflect.Uintptr ||
		!tlsField.IsValid() || tlsField.Type() != reflect.TypeOf((*libc.TLS)(nil)) {
		return 0, nil, false
	}
	db = uintptr(dbField.Uint())
	tls = (*libc.TLS)(unsafe.Pointer(tlsField.Pointer()))
	if db == 0 || tls == nil {
		return 0, nil, false
	}
	return db, tls, true
}
