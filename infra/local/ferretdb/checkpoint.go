package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// checkpointAll copies every database's -wal file into the database file and truncates it to
// zero bytes (PRAGMA wal_checkpoint(TRUNCATE)). With secure_delete on, a deleted document's
// bytes are then in neither file: the database's free space holds zeros, and the older page
// images in the -wal file that still held them are gone.
//
// A checkpoint waits for readers and writers to finish; timeout bounds the wait, so a reader
// that never finishes (a cursor left open) ends in a reported failure.
func checkpointAll(ctx context.Context, dir string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	paths, err := databaseFiles(dir)
	if err != nil {
		return err
	}
	return checkpointFiles(ctx, paths, timeout)
}

// databaseName is what FerretDB accepts as a database name on SQLite, and nothing that could
// leave the directory.
var databaseName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,63}$`)

// checkpointDatabase checkpoints one database's file, as checkpointAll does every file. A
// database that has no file yet has nothing to scrub.
func checkpointDatabase(ctx context.Context, dir, name string, timeout time.Duration) error {
	if !databaseName.MatchString(name) {
		return fmt.Errorf("not a database name: %q", name)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return checkpointFiles(ctx, []string{filepath.Join(dir, name+".sqlite")}, timeout)
}

func checkpointFiles(ctx context.Context, paths []string, timeout time.Duration) error {
	var errs []error
	for _, path := range paths {
		// An empty or absent -wal file has nothing to give back: every byte is in the database
		// file already. Skipping it keeps a scrub's cost to the databases written since the last.
		if wal, err := os.Stat(path + "-wal"); errors.Is(err, os.ErrNotExist) || (err == nil && wal.Size() == 0) {
			continue
		}
		if err := checkpointFile(ctx, path, timeout); err != nil {
			if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
				continue // dropped meanwhile, with its -wal file
			}
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(path), err))
		}
	}
	return errors.Join(errs...)
}

func checkpointFile(ctx context.Context, path string, timeout time.Duration) error {
	// A checkpoint waits on each of the -wal file's reader slots in turn, each time for up to
	// the busy timeout: short waits, retried until the deadline, keep the deadline the bound.
	db, err := openDatabaseFile(path, 100*time.Millisecond)
	if err != nil {
		return err
	}
	defer db.Close()
	var last error // the last failure other than running out of time
	for {
		// busy is 1 when a reader or writer kept the checkpoint from finishing (after the busy
		// timeout); the -wal file is then not truncated.
		var busy, logFrames, checkpointed int64
		err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
		if err == nil && busy == 0 {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("checkpoint did not succeed within %s: %w", timeout, last)
			}
			return fmt.Errorf("checkpoint still blocked after %s by a reader or writer of the database", timeout)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
