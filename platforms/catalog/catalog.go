// Package catalog lists every platform custdesk speaks, with its
// configuration section and the section pointing it at the built-in sandbox:
// the one place outside the platform packages that knows them all, so the
// configuration code can stay platform-blind.
package catalog

import (
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// Kind is one platform custdesk speaks.
type Kind struct {
	// Name is the platform's key and the name of its [platforms.NAME] section.
	Name string
	// New returns an empty section to decode the file's into.
	New func() platforms.Section
	// Sandbox is a complete section pointing at a sandbox served at baseURL,
	// with the sandbox's demo credentials.
	Sandbox func(baseURL string) platforms.Section
}

// Kinds are the platforms in the order they are offered.
func Kinds() []Kind {
	return []Kind{
		{alsc.Name, func() platforms.Section { return &alsc.Section{} }, func(base string) platforms.Section {
			return &alsc.Section{Gateway: base + sandbox.PathALSC, AppKey: sandbox.DemoALSCAppKey, AppSecret: sandbox.DemoALSCAppSecret,
				SignMethod: alsc.SignHMACSHA256, Channel: "2", OuterType: alsc.OuterTypeMobile, ShopID: sandbox.DemoALSCShopID}
		}},
		{youzan.Name, func() platforms.Section { return &youzan.Section{} }, func(base string) platforms.Section {
			return &youzan.Section{BaseURL: base, AppID: sandbox.DemoYouzanAppID, RootKdtID: sandbox.DemoYouzanRootKdtID,
				OutStoreID: sandbox.DemoYouzanOutStoreID, Headers: map[string]string{"Authorization": sandbox.DemoYouzanToken}}
		}},
		{nxlink.Name, func() platforms.Section { return &nxlink.Section{} }, func(base string) platforms.Section {
			merge := nxlink.TypeMerge
			return &nxlink.Section{BaseURL: base, AccessKey: sandbox.DemoNXLinkAccessKey, AccessSecret: sandbox.DemoNXLinkSecret,
				SignAlgorithm: nxlink.AlgorithmMD5, TenantID: sandbox.DemoNXLinkTenantID, AppKey: sandbox.DemoNXLinkAppKey, Type: &merge}
		}},
	}
}
