package api

import (
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// Conversions between API messages and domain types. Output-only fields
// (id, etag, times) are read from the domain only; write-only fields
// (device password) are never written to a message.

func etag(version int64) string { return strconv.FormatInt(version, 10) }

// parseEtag turns an etag from a request into a version; "" means any.
func parseEtag(field, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, derrors.New(derrors.InvalidArgument, field, "%q is not an etag returned by the server", s)
	}
	return v, nil
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func siteToProto(v *config.Site) *configv1.Site {
	return &configv1.Site{Id: v.ID, Name: v.Name, Description: v.Description, TimeZone: v.TimeZone,
		Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func siteFromProto(p *configv1.Site) *config.Site {
	return &config.Site{Meta: config.Meta{ID: p.GetId()}, Name: p.GetName(),
		Description: p.GetDescription(), TimeZone: p.GetTimeZone()}
}

func serverToProto(v *config.Server) *configv1.Server {
	return &configv1.Server{Id: v.ID, Name: v.Name, Role: configv1.ServerRole(v.Role), SiteId: v.SiteID,
		Description: v.Description, Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func serverFromProto(p *configv1.Server) *config.Server {
	return &config.Server{Meta: config.Meta{ID: p.GetId()}, Name: p.GetName(), Role: config.Role(p.GetRole()),
		SiteID: p.GetSiteId(), Description: p.GetDescription()}
}

func classToProto(v *config.ClassOfService) *configv1.ClassOfService {
	pm := v.Permissions
	return &configv1.ClassOfService{Id: v.ID, Name: v.Name, Description: v.Description,
		DialingScope: configv1.DialingScope(v.DialingScope),
		Permissions: &configv1.FeaturePermissions{ForwardExternal: pm.ForwardExternal,
			TransferExternal: pm.TransferExternal, RecordCalls: pm.RecordCalls, BargeIn: pm.BargeIn,
			Intercom: pm.Intercom, Pickup: pm.Pickup, Park: pm.Park, Voicemail: pm.Voicemail},
		Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func classFromProto(p *configv1.ClassOfService) *config.ClassOfService {
	pm := p.GetPermissions()
	return &config.ClassOfService{Meta: config.Meta{ID: p.GetId()}, Name: p.GetName(),
		Description: p.GetDescription(), DialingScope: config.DialingScope(p.GetDialingScope()),
		Permissions: config.Permissions{ForwardExternal: pm.GetForwardExternal(),
			TransferExternal: pm.GetTransferExternal(), RecordCalls: pm.GetRecordCalls(),
			BargeIn: pm.GetBargeIn(), Intercom: pm.GetIntercom(), Pickup: pm.GetPickup(),
			Park: pm.GetPark(), Voicemail: pm.GetVoicemail()}}
}

func userToProto(v *config.User) *configv1.User {
	return &configv1.User{Id: v.ID, Extension: v.Extension, FirstName: v.FirstName, LastName: v.LastName,
		Email: v.Email, SiteId: v.SiteID, ClassOfServiceId: v.ClassOfServiceID, Virtual: v.Virtual,
		Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func userFromProto(p *configv1.User) *config.User {
	return &config.User{Meta: config.Meta{ID: p.GetId()}, Extension: p.GetExtension(),
		FirstName: p.GetFirstName(), LastName: p.GetLastName(), Email: p.GetEmail(),
		SiteID: p.GetSiteId(), ClassOfServiceID: p.GetClassOfServiceId(), Virtual: p.GetVirtual()}
}

func deviceToProto(v *config.Device) *configv1.Device {
	return &configv1.Device{Id: v.ID, UserId: v.UserID, SipUsername: v.SIPUsername, Label: v.Label,
		Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func deviceFromProto(p *configv1.Device) *config.Device {
	return &config.Device{Meta: config.Meta{ID: p.GetId()}, UserID: p.GetUserId(),
		SIPUsername: p.GetSipUsername(), Label: p.GetLabel()}
}

func routePointToProto(v *config.RoutePoint) *configv1.RoutePoint {
	return &configv1.RoutePoint{Id: v.ID, Name: v.Name, Extension: v.Extension, SiteId: v.SiteID,
		FallbackExtension: v.FallbackExtension, AnswerTimeoutSeconds: int32(v.AnswerTimeoutSeconds),
		Etag: etag(v.Version), CreateTime: ts(v.Created), UpdateTime: ts(v.Updated)}
}

func routePointFromProto(p *configv1.RoutePoint) *config.RoutePoint {
	return &config.RoutePoint{Meta: config.Meta{ID: p.GetId()}, Name: p.GetName(), Extension: p.GetExtension(),
		SiteID: p.GetSiteId(), FallbackExtension: p.GetFallbackExtension(),
		AnswerTimeoutSeconds: int(p.GetAnswerTimeoutSeconds())}
}

func dialPlanToProto(v *config.DialPlan) *configv1.DialPlan {
	return &configv1.DialPlan{ExtensionLength: int32(v.ExtensionLength), TrunkAccessCode: v.TrunkAccessCode,
		OperatorExtension: v.OperatorExtension, SipRealm: v.SIPRealm,
		DefaultClassOfServiceId: v.DefaultClassOfServiceID, Etag: etag(v.Version), UpdateTime: ts(v.Updated)}
}

func dialPlanFromProto(p *configv1.DialPlan) *config.DialPlan {
	return &config.DialPlan{ExtensionLength: int(p.GetExtensionLength()), TrunkAccessCode: p.GetTrunkAccessCode(),
		OperatorExtension: p.GetOperatorExtension(), SIPRealm: p.GetSipRealm(),
		DefaultClassOfServiceID: p.GetDefaultClassOfServiceId()}
}

func changeToProto(c config.Change) *configv1.Change {
	out := &configv1.Change{Revision: c.Revision, Time: ts(c.Time),
		ResourceType: configv1.ResourceType(c.Kind), ResourceId: c.ResourceID,
		Operation: configv1.Operation(c.Op)}
	switch r := c.Resource.(type) {
	case *config.Site:
		out.Resource = &configv1.Change_Site{Site: siteToProto(r)}
	case *config.Server:
		out.Resource = &configv1.Change_Server{Server: serverToProto(r)}
	case *config.ClassOfService:
		out.Resource = &configv1.Change_ClassOfService{ClassOfService: classToProto(r)}
	case *config.User:
		out.Resource = &configv1.Change_User{User: userToProto(r)}
	case *config.Device:
		out.Resource = &configv1.Change_Device{Device: deviceToProto(r)}
	case *config.DialPlan:
		out.Resource = &configv1.Change_DialPlan{DialPlan: dialPlanToProto(r)}
	case *config.RoutePoint:
		out.Resource = &configv1.Change_RoutePoint{RoutePoint: routePointToProto(r)}
	}
	return out
}
