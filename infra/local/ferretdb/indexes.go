package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// FerretDB's SQLite backend pushes exactly one filter into SQL, `{_id: <string or ObjectId>}`,
// as `WHERE _ferretdb_sjson->'$._id' = ?`, and updates and deletes each document the same way
// (metadata.IDColumn in internal/backends/sqlite/metadata/metadata.go). The unique index
// FerretDB makes for _id is on `_ferretdb_sjson->"_id"`, an expression SQLite does not match
// to that one, so every _id lookup read the whole table. The launcher adds an index on the
// very expression FerretDB queries.
//
// FerretDB tolerates the extra index: it lists, drops and sizes only the indexes recorded in
// its metadata table, and dropping a collection drops its table with every index on it.
const (
	idExpression  = `_ferretdb_sjson->'$._id'`
	idIndexSuffix = "_quorum_id"
)

// idIndexName is the name of the launcher's index on a collection table. FerretDB names its
// own indexes "<table>_<index name>", so only a MongoDB index named "quorum_id" could clash.
func idIndexName(table string) string {
	return table + idIndexSuffix
}

// tablesWithoutIDIndex lists the collection tables of one database that lack the index.
func tablesWithoutIDIndex(ctx context.Context, db *sql.DB) ([]string, error) {
	q := fmt.Sprintf(`
		SELECT c.table_name FROM %q AS c
		WHERE EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = c.table_name)
		AND NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = c.table_name || ?)
		ORDER BY c.table_name`, metadataTable)
	rows, err := db.QueryContext(ctx, q, idIndexSuffix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, err
		}
		tables = append(tables, table)
	}
	return tables, rows.Err()
}

// ensureIDIndexes creates the index on every collection table of one database that lacks it.
func ensureIDIndexes(ctx context.Context, db *sql.DB) ([]string, error) {
	tables, err := tablesWithoutIDIndex(ctx, db)
	if err != nil {
		return nil, err
	}
	created := make([]string, 0, len(tables))
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, idIndexName(table), table, idExpression)
		if _, err := db.ExecContext(ctx, q); err != nil {
			// Dropped by FerretDB since it was listed: nothing to index.
			if strings.Contains(err.Error(), "no such table") {
				continue
			}
			return created, fmt.Errorf("%s: %w", table, err)
		}
		created = append(created, table)
	}
	return created, nil
}

// notYetAFerretDBDatabase tells a file FerretDB is still creating (no metadata table yet).
func notYetAFerretDBDatabase(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table: "+metadataTable)
}

// busy tells a lock FerretDB held for longer than we waited: the next pass tries again.
func busy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	primary := e.Code() & 0xff
	return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
}

// fileStamp is what changes on disk whenever a database changes: every write goes to the
// -wal file, and checkpoints to the main file. Comparing stamps costs two stat calls, so the
// watcher opens a database only when it changed.
type fileStamp struct {
	inode            uint64
	mainSize, walLen int64
	mainMod, walMod  time.Time
}

func stampOf(path string) (fileStamp, error) {
	main, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	stamp := fileStamp{mainSize: main.Size(), mainMod: main.ModTime()}
	if sys, ok := main.Sys().(*syscall.Stat_t); ok {
		stamp.inode = sys.Ino
	}
	if wal, err := os.Stat(path + "-wal"); err == nil {
		stamp.walLen, stamp.walMod = wal.Size(), wal.ModTime()
	}
	return stamp, nil
}

// watchedFile is what the watcher knows of one database file.
type watchedFile struct {
	stamp     fileStamp
	lastError string
}

// idIndexWatcher keeps the index on every collection table, including tables FerretDB creates
// while it runs: each database whose files changed is looked at again, and its tables that
// lack the index get it.
//
// Why not skip a database whose schema version is unchanged: a database dropped and made again
// under the same name starts counting from 1, and can reach the old number while lacking the
// index. Listing the tables that lack it reads only the schema, which is cheap enough for a
// database that is being written anyway.
type idIndexWatcher struct {
	dir   string
	log   *slog.Logger
	files map[string]*watchedFile
}

func newIDIndexWatcher(dir string, log *slog.Logger) *idIndexWatcher {
	return &idIndexWatcher{dir: dir, log: log, files: map[string]*watchedFile{}}
}

// run checks every interval until ctx ends.
func (w *idIndexWatcher) run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			w.pass(ctx)
		}
	}
}

// pass looks at every database file once.
func (w *idIndexWatcher) pass(ctx context.Context) {
	paths, err := databaseFiles(w.dir)
	if err != nil {
		w.log.Warn("quorum-ferretdb: cannot list database files", slog.String("error", err.Error()))
		return
	}
	seen := make(map[string]bool, len(paths))
	for _, path := range paths {
		seen[path] = true
		w.check(ctx, path)
	}
	for path := range w.files {
		if !seen[path] {
			delete(w.files, path)
		}
	}
}

func (w *idIndexWatcher) check(ctx context.Context, path string) {
	// The stamp is taken before looking, so a change made while we look is seen next time.
	stamp, err := stampOf(path)
	if err != nil {
		return // dropped meanwhile
	}
	known := w.files[path]
	if known != nil && known.stamp == stamp {
		return
	}
	if known == nil {
		known = &watchedFile{}
		w.files[path] = known
	}
	if err := indexFile(ctx, path, w.log); err != nil {
		// Looked at again next time: the zero stamp never matches a file's.
		known.stamp = fileStamp{}
		quiet := notYetAFerretDBDatabase(err) || busy(err) || ctx.Err() != nil
		if !quiet && err.Error() != known.lastError {
			w.log.Warn("quorum-ferretdb: cannot index _id", slog.String("file", path), slog.String("error", err.Error()))
		}
		known.lastError = err.Error()
		return
	}
	known.stamp, known.lastError = stamp, ""
}

// indexFile indexes the tables of one database that lack the index.
func indexFile(ctx context.Context, path string, log *slog.Logger) error {
	db, err := openDatabaseFile(path, 5*time.Second)
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := ensureIDIndexes(ctx, db)
	if len(created) > 0 {
		log.Debug("quorum-ferretdb: indexed _id", slog.String("file", path), slog.Any("tables", created))
	}
	return err
}

// indexAll indexes every database once, before FerretDB opens them.
func indexAll(ctx context.Context, dir string, log *slog.Logger) error {
	paths, err := databaseFiles(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, path := range paths {
		if err := indexFile(ctx, path, log); err != nil && !notYetAFerretDBDatabase(err) {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
		}
	}
	return errors.Join(errs...)
}
