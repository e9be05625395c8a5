package config

import "context"

// Page asks for one page of a list, in creation (id) order.
type Page struct {
	Size  int    // most items to return, > 0
	After string // return items with an id greater than this; "" for the first page
}

// Filter narrows a list. Empty fields do not filter.
type Filter struct {
	SiteID           string // users, servers, route points
	ClassOfServiceID string // users
	UserID           string // devices
}

// Store is the persistence port of the configuration domain, implemented by
// server/store. Every method that writes also appends a Change with the
// next revision in the same transaction, and writes are serialised so that
// revisions commit in order (a reader never sees revision n+1 before n).
//
// Errors are derrors categories:
//   - NotFound: no resource with that id.
//   - AlreadyExists: a unique field is taken (site, server and class of
//     service names, extensions of users and route points, which share one
//     number space, device SIP user names); the message names the field,
//     e.g. "extension 1001 is already in use".
//   - Aborted: an update or delete gave a version (> 0) that is not the
//     current one.
//   - FailedPrecondition: a delete would leave references dangling (a site
//     with users, route points or servers, a class of service with users;
//     a user with devices is fine: its devices are deleted with it, each
//     with a change; the dial plan's default class of service cannot be
//     deleted).
//   - OutOfRange: Changes asked for history older than what is retained.
//
// Create methods assign ID (UUIDv7), Version 1, Created and Updated; the
// values passed in for those are ignored. Update methods require ID and
// Version (the version read), bump Version by one and set Updated. Lists
// are ordered by id.
type Store interface {
	// Bootstrap creates the initial configuration in one transaction if
	// the store has none yet (no dial plan), and reports whether it did.
	// Either way it returns the HQ server (the one with RoleHQ).
	Bootstrap(ctx context.Context, b Bootstrap) (hq *Server, created bool, err error)
	// Revision returns the newest committed revision (0 when there is none).
	Revision(ctx context.Context) (int64, error)
	// Changes returns up to limit changes with revision > after, in order.
	// OutOfRange when after+1 is older than the oldest retained change
	// (after = 0 is always allowed while revision 1 is retained).
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)

	GetSite(ctx context.Context, id string) (*Site, error)
	ListSites(ctx context.Context, p Page) ([]*Site, error)
	CreateSite(ctx context.Context, s *Site) (*Site, error)
	UpdateSite(ctx context.Context, s *Site) (*Site, error)
	DeleteSite(ctx context.Context, id string, version int64) error

	GetServer(ctx context.Context, id string) (*Server, error)
	ListServers(ctx context.Context, p Page, f Filter) ([]*Server, error)
	CreateServer(ctx context.Context, s *Server) (*Server, error)
	UpdateServer(ctx context.Context, s *Server) (*Server, error)

	GetClassOfService(ctx context.Context, id string) (*ClassOfService, error)
	ListClassesOfService(ctx context.Context, p Page) ([]*ClassOfService, error)
	CreateClassOfService(ctx context.Context, c *ClassOfService) (*ClassOfService, error)
	UpdateClassOfService(ctx context.Context, c *ClassOfService) (*ClassOfService, error)
	DeleteClassOfService(ctx context.Context, id string, version int64) error

	GetUser(ctx context.Context, id string) (*User, error)
	ListUsers(ctx context.Context, p Page, f Filter) ([]*User, error)
	// CountUsersWithExtensionLengthNot counts users whose extension is not
	// n digits long (used before changing the dial plan).
	CountUsersWithExtensionLengthNot(ctx context.Context, n int) (int, error)
	// FindUserByExtensionPrefix returns one user whose extension starts
	// with prefix, or NotFound.
	FindUserByExtensionPrefix(ctx context.Context, prefix string) (*User, error)
	// FindUserByExtension returns the user with an extension, or NotFound.
	FindUserByExtension(ctx context.Context, ext string) (*User, error)
	CreateUser(ctx context.Context, u *User) (*User, error)
	UpdateUser(ctx context.Context, u *User) (*User, error)
	// DeleteUser deletes the user and its devices (a change for each).
	DeleteUser(ctx context.Context, id string, version int64) error

	GetDevice(ctx context.Context, id string) (*Device, error)
	ListDevices(ctx context.Context, p Page, f Filter) ([]*Device, error)
	CreateDevice(ctx context.Context, d *Device) (*Device, error)
	UpdateDevice(ctx context.Context, d *Device) (*Device, error)
	DeleteDevice(ctx context.Context, id string, version int64) error

	GetRoutePoint(ctx context.Context, id string) (*RoutePoint, error)
	ListRoutePoints(ctx context.Context, p Page, f Filter) ([]*RoutePoint, error)
	// CountRoutePointsWithExtensionLengthNot is
	// CountUsersWithExtensionLengthNot for route points.
	CountRoutePointsWithExtensionLengthNot(ctx context.Context, n int) (int, error)
	// FindRoutePointByExtensionPrefix returns one route point whose
	// extension starts with prefix, or NotFound.
	FindRoutePointByExtensionPrefix(ctx context.Context, prefix string) (*RoutePoint, error)
	// CreateRoutePoint and UpdateRoutePoint answer AlreadyExists naming
	// "extension" when a user or another route point has the extension
	// (CreateUser and UpdateUser do the same for route points' extensions).
	CreateRoutePoint(ctx context.Context, r *RoutePoint) (*RoutePoint, error)
	UpdateRoutePoint(ctx context.Context, r *RoutePoint) (*RoutePoint, error)
	DeleteRoutePoint(ctx context.Context, id string, version int64) error

	GetDialPlan(ctx context.Context) (*DialPlan, error)
	// UpdateDialPlan requires Version like the other updates.
	UpdateDialPlan(ctx context.Context, d *DialPlan) (*DialPlan, error)
}

// Bootstrap is the configuration a new system starts with.
type Bootstrap struct {
	Site           Site
	Server         Server   // SiteID is filled in with Site's new id
	DialPlan       DialPlan // DefaultClassOfServiceID is filled in
	ClassOfService ClassOfService
}
