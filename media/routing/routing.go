// Package routing holds the switch's routing table: the users it can
// reach, their devices' digest credentials, the route points (extensions
// served by applications through the TMS) and the dial plan, as pushed by
// the TMS. A Table is immutable once built; the switch swaps tables
// atomically, so calls in progress keep the table they started with.
package routing

import (
	"strings"
	"time"
)

// Device is one set of SIP credentials.
type Device struct {
	ID          string
	SIPUsername string
	HA1MD5      string
	HA1SHA256   string
	User        *User
}

// User is someone with an extension.
type User struct {
	ID          string
	Extension   string
	DisplayName string
	Virtual     bool
	Devices     []*Device
}

// RoutePoint is an extension served by an application: calls to it are
// offered to the application through the TMS.
type RoutePoint struct {
	ID        string
	Extension string
	Name      string
	// FallbackExtension takes the calls no application answers; "" means
	// they are rejected (480).
	FallbackExtension string
	// AnswerTimeout is how long an offered call waits for the application.
	AnswerTimeout time.Duration
}

// Table is an immutable routing table.
type Table struct {
	Revision          int64
	Realm             string
	ExtensionLength   int
	TrunkAccessCode   string
	OperatorExtension string

	byExtension  map[string]*User
	byUsername   map[string]*Device
	routePoints  map[string]*RoutePoint // by extension
	routePointID map[string]*RoutePoint
}

// Plan is the dial plan part of a table.
type Plan struct {
	Revision          int64
	Realm             string
	ExtensionLength   int
	TrunkAccessCode   string
	OperatorExtension string
}

// New builds a table from a plan, users and route points. Devices are
// linked to their users. Later duplicates of an extension or user name are
// ignored, and so is a route point whose extension a user has (the
// configuration store forbids them; this keeps the switch safe anyway).
func New(p Plan, users []*User, routePoints ...*RoutePoint) *Table {
	t := &Table{Revision: p.Revision, Realm: p.Realm, ExtensionLength: p.ExtensionLength,
		TrunkAccessCode: p.TrunkAccessCode, OperatorExtension: p.OperatorExtension,
		byExtension: make(map[string]*User, len(users)), byUsername: make(map[string]*Device, len(users)),
		routePoints:  make(map[string]*RoutePoint, len(routePoints)),
		routePointID: make(map[string]*RoutePoint, len(routePoints))}
	for _, u := range users {
		if _, dup := t.byExtension[u.Extension]; dup {
			continue
		}
		t.byExtension[u.Extension] = u
		for _, d := range u.Devices {
			if _, dup := t.byUsername[d.SIPUsername]; dup {
				continue
			}
			d.User = u
			t.byUsername[d.SIPUsername] = d
		}
	}
	for _, r := range routePoints {
		if _, dup := t.byExtension[r.Extension]; dup {
			continue
		}
		if _, dup := t.routePoints[r.Extension]; dup {
			continue
		}
		t.routePoints[r.Extension] = r
		t.routePointID[r.ID] = r
	}
	return t
}

// Empty returns a table that knows nobody.
func Empty() *Table { return New(Plan{Realm: "switchboard", ExtensionLength: 4}, nil) }

// Device returns the device with a SIP user name.
func (t *Table) Device(username string) (*Device, bool) {
	d, ok := t.byUsername[username]
	return d, ok
}

// Users returns the number of users in the table.
func (t *Table) Users() int { return len(t.byExtension) }

// RoutePoints returns the number of route points in the table.
func (t *Table) RoutePoints() int { return len(t.routePoints) }

// RoutePoint returns the route point with a configuration id.
func (t *Table) RoutePoint(id string) (*RoutePoint, bool) {
	r, ok := t.routePointID[id]
	return r, ok
}

// Kind is what a dialled number leads to.
type Kind int

// Route kinds.
const (
	Unknown      Kind = iota // nothing: 404
	ToUser                   // a user's extension (or device user name)
	External                 // trunk access code + number: needs a trunk
	ToRoutePoint             // a route point's extension: for the application serving it
)

// Route is where a dialled number goes.
type Route struct {
	Kind       Kind
	User       *User       // for ToUser
	Number     string      // for External: the digits after the access code
	RoutePoint *RoutePoint // for ToRoutePoint
}

// Resolve finds where dialled goes: a user's or route point's extension,
// the operator ("0", which may be either), a device's user name (phones
// that dial by name), or an external number after the trunk access code.
func (t *Table) Resolve(dialed string) Route {
	dialed = strings.TrimSpace(dialed)
	if dialed == "0" && t.OperatorExtension != "" {
		dialed = t.OperatorExtension
	}
	if u, ok := t.byExtension[dialed]; ok {
		return Route{Kind: ToUser, User: u}
	}
	if r, ok := t.routePoints[dialed]; ok {
		return Route{Kind: ToRoutePoint, RoutePoint: r}
	}
	if d, ok := t.byUsername[dialed]; ok {
		return Route{Kind: ToUser, User: d.User}
	}
	if tac := t.TrunkAccessCode; tac != "" && len(dialed) > len(tac) && strings.HasPrefix(dialed, tac) &&
		isDigits(dialed[len(tac):]) {
		return Route{Kind: External, Number: dialed[len(tac):]}
	}
	return Route{Kind: Unknown}
}

func isDigits(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '+' && c != '*' && c != '#' {
			return false
		}
	}
	return s != ""
}

// User returns the user with a configuration id.
func (t *Table) User(id string) (*User, bool) {
	for _, u := range t.byExtension {
		if u.ID == id {
			return u, true
		}
	}
	return nil, false
}
