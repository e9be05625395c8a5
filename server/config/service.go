package config

import (
	"context"
	"encoding/base64"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// DefaultPageSize is used when a list asks for page size 0.
const DefaultPageSize = 50

// MaxPageSize is the largest page a list returns.
const MaxPageSize = 1000

// Service applies the configuration rules on top of a Store and wakes
// change-feed watchers after every write.
type Service struct {
	store        Store
	log          *slog.Logger
	pollInterval time.Duration

	mu      sync.Mutex
	changed chan struct{} // closed and replaced after every write
	closing chan struct{} // closed by Close: watchers end
	once    sync.Once
}

// Option configures a Service.
type Option func(*Service)

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithPollInterval sets how often a change-feed watcher looks for changes
// committed by another process sharing the database (default 2s). Writes
// through this Service wake watchers at once.
func WithPollInterval(d time.Duration) Option { return func(s *Service) { s.pollInterval = d } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, log: slog.Default(), pollInterval: 2 * time.Second,
		changed: make(chan struct{}), closing: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Store returns the underlying store (for wiring and tests).
func (s *Service) Store() Store { return s.store }

// Revision returns the newest committed configuration revision.
func (s *Service) Revision(ctx context.Context) (int64, error) { return s.store.Revision(ctx) }

// Close ends every Watch with Unavailable, so that a server can shut down
// while clients are following the change feed. Other methods keep working.
func (s *Service) Close() { s.once.Do(func() { close(s.closing) }) }

// notify wakes every watcher.
func (s *Service) notify() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *Service) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// wrote wakes watchers when a write succeeded, and passes err on.
func (s *Service) wrote(err error) error {
	if err == nil {
		s.notify()
	}
	return err
}

// PageRequest is how API callers ask for a page: a size (0 = default) and
// the opaque token from the previous page.
type PageRequest struct {
	Size  int
	Token string
}

func (p PageRequest) page() (Page, error) {
	size := p.Size
	switch {
	case size == 0:
		size = DefaultPageSize
	case size < 0 || size > MaxPageSize:
		return Page{}, derrors.New(derrors.InvalidArgument, "page_size", "must be between 0 and %d", MaxPageSize)
	}
	pg := Page{Size: size + 1} // one extra to learn whether there is a next page
	if p.Token != "" {
		after, err := base64.RawURLEncoding.DecodeString(p.Token)
		if err != nil || len(after) == 0 {
			return Page{}, derrors.New(derrors.InvalidArgument, "page_token", "is not a token returned by a previous page")
		}
		pg.After = string(after)
	}
	return pg, nil
}

// list runs fetch for one page and returns the items and the next token.
func list[T any](p PageRequest, id func(T) string, fetch func(Page) ([]T, error)) ([]T, string, error) {
	pg, err := p.page()
	if err != nil {
		return nil, "", err
	}
	items, err := fetch(pg)
	if err != nil {
		return nil, "", err
	}
	if len(items) < pg.Size {
		return items, "", nil
	}
	items = items[:pg.Size-1]
	return items, base64.RawURLEncoding.EncodeToString([]byte(id(items[len(items)-1]))), nil
}
