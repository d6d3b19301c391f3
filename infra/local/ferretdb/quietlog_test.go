package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// countedValue counts how often it is encoded to JSON.
type countedValue struct{ encoded *int }

func (v countedValue) MarshalJSON() ([]byte, error) {
	*v.encoded++
	return json.Marshal("document")
}

func TestLazyHandlerEncodesAttributesOnlyForRecordsItWrites(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(newLazyHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn})))
	encoded := 0
	args := countedValue{encoded: &encoded}

	logger.With(slog.Any("args", args)).Debug(">>> UPDATE")
	if encoded != 0 || out.Len() != 0 {
		t.Fatalf("a dropped debug record encoded its attributes %d times and wrote %q", encoded, out.String())
	}

	logger.WithGroup("sql").With(slog.Any("args", args)).With("rows", 1).Warn("slow statement")
	if encoded != 1 {
		t.Fatalf("a written record encoded its attributes %d times, want 1", encoded)
	}
	var record map[string]any
	if err := json.Unmarshal(out.Bytes(), &record); err != nil {
		t.Fatalf("not one JSON record: %q", out.String())
	}
	sqlGroup, _ := record["sql"].(map[string]any)
	if record["msg"] != "slow statement" || sqlGroup["args"] != "document" || sqlGroup["rows"] != float64(1) {
		t.Fatalf("record = %s", strings.TrimSpace(out.String()))
	}
}
