package main

import (
	"context"
	"log/slog"
	"slices"
)

// lazyHandler defers a logger's With attributes until a record is actually written.
//
// FerretDB builds a logger with the statement's arguments (documents included) for every SQL
// statement, to log it at debug level (internal/util/fsql). slog's JSON handler formats those
// attributes when the logger is built, not when a record is written, so at the launcher's
// level (warn) each statement's documents were encoded to JSON only to be thrown away: 5% of
// FerretDB's CPU while growing a tenant (perf). This handler keeps them as they are and hands
// them to the JSON handler only for a record it writes.
type lazyHandler struct {
	inner slog.Handler
	// with replays the WithAttrs/WithGroup calls in order onto inner.
	with []func(slog.Handler) slog.Handler
}

func newLazyHandler(inner slog.Handler) *lazyHandler { return &lazyHandler{inner: inner} }

func (h *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyHandler) Handle(ctx context.Context, record slog.Record) error {
	handler := h.inner
	for _, apply := range h.with {
		handler = apply(handler)
	}
	return handler.Handle(ctx, record)
}

func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.then(func(inner slog.Handler) slog.Handler { return inner.WithAttrs(attrs) })
}

func (h *lazyHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.then(func(inner slog.Handler) slog.Handler { return inner.WithGroup(name) })
}

func (h *lazyHandler) then(apply func(slog.Handler) slog.Handler) *lazyHandler {
	return &lazyHandler{inner: h.inner, with: append(slices.Clip(h.with), apply)}
}
