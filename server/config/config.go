// Package config is the configuration domain: sites, servers, classes of
// service, users, devices, route points and the dial plan, with the rules
// that tie them together (extension length, trunk access code, references)
// and the change feed that every other part of the system follows.
//
// Service is the entry point. It depends on a Store (port.go), implemented
// by server/store on ent. Every write goes through the Store, which records
// a Change with the next revision in the same transaction.
package config

import "time"

// DialingScope is how far a class of service may dial out. Each scope
// includes the ones before it.
type DialingScope int

// Dialing scopes, narrowest first. The values match the API enum.
const (
	ScopeInternal      DialingScope = 1
	ScopeLocal         DialingScope = 2
	ScopeNational      DialingScope = 3
	ScopeInternational DialingScope = 4
	ScopeAll           DialingScope = 5
)

// Role is a server's role in the cluster.
type Role int

// Server roles. The values match the API enum.
const (
	RoleHQ  Role = 1
	RoleDVS Role = 2
)

// Meta is what every resource carries: identity and optimistic-concurrency
// version. Version starts at 1 and grows by one on every update.
type Meta struct {
	ID      string
	Version int64
	Created time.Time
	Updated time.Time
}

// Site is a location.
type Site struct {
	Meta
	Name        string
	Description string
	TimeZone    string // IANA name, "UTC" when not given
}

// Server is one running switchboard process.
type Server struct {
	Meta
	Name        string
	Role        Role
	SiteID      string
	Description string
}

// Permissions are the features a class of service allows.
type Permissions struct {
	ForwardExternal  bool
	TransferExternal bool
	RecordCalls      bool
	BargeIn          bool
	Intercom         bool
	Pickup           bool
	Park             bool
	Voicemail        bool
}

// ClassOfService says what its users may dial and use.
type ClassOfService struct {
	Meta
	Name         string
	Description  string
	DialingScope DialingScope
	Permissions  Permissions
}

// User is a person or a virtual (device-less) identity with an extension.
type User struct {
	Meta
	Extension        string
	FirstName        string
	LastName         string
	Email            string
	SiteID           string
	ClassOfServiceID string
	Virtual          bool
}

// Device is a set of SIP credentials owned by a user. Only digest HA1
// values are kept, never the password.
type Device struct {
	Meta
	UserID      string
	SIPUsername string
	Label       string
	HA1MD5      string // hex MD5(username:realm:password)
	HA1SHA256   string // hex SHA-256(username:realm:password)
}

// RoutePoint is an extension served by an application (IVR, contact
// centre, recorder) instead of a person. Its extension is unique among
// users' and route points' extensions.
type RoutePoint struct {
	Meta
	Name      string
	Extension string
	SiteID    string
	// FallbackExtension takes the calls no application answers; "" rejects
	// them. It need not exist.
	FallbackExtension string
	// AnswerTimeoutSeconds is how long an offered call waits for the
	// application, MinAnswerTimeoutSeconds to MaxAnswerTimeoutSeconds.
	AnswerTimeoutSeconds int
}

// Bounds and default of RoutePoint.AnswerTimeoutSeconds.
const (
	DefaultAnswerTimeoutSeconds = 10
	MinAnswerTimeoutSeconds     = 1
	MaxAnswerTimeoutSeconds     = 300
)

// DialPlan is the system numbering plan; there is exactly one. Its Meta.ID
// is always empty.
type DialPlan struct {
	Meta
	ExtensionLength   int
	TrunkAccessCode   string
	OperatorExtension string
	SIPRealm          string
	// DefaultClassOfServiceID is given to users created without one.
	DefaultClassOfServiceID string
}

// Kind names a kind of resource in the change feed.
type Kind int

// Resource kinds. The values match the API enum.
const (
	KindSite           Kind = 1
	KindServer         Kind = 2
	KindClassOfService Kind = 3
	KindUser           Kind = 4
	KindDevice         Kind = 5
	KindDialPlan       Kind = 6
	KindRoutePoint     Kind = 7
)

// Op is what a change did.
type Op int

// Change operations. The values match the API enum.
const (
	OpCreated Op = 1
	OpUpdated Op = 2
	OpDeleted Op = 3
)

// Change is one committed configuration write.
type Change struct {
	Revision   int64
	Time       time.Time
	Kind       Kind
	ResourceID string
	Op         Op
	// Resource is the resource after the change (before it, for a
	// deletion): one of *Site, *Server, *ClassOfService, *User, *Device,
	// *DialPlan, *RoutePoint.
	Resource any
}
