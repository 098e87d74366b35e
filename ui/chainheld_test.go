package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/store"
)

// heldAtStore007 is the chain's guard when another terminal enrolled every
// member: it holds every send but a confirmed duplicate, as the central
// store's guard does.
type heldAtStore007 struct{}

func (heldAtStore007) Claim(_ context.Context, sub store.Submission, _ string) (string, error) {
	if sub.AllowDuplicate {
		return "", nil
	}
	return "already enrolled at store-007/pos-1 on 11-03 10:00 (submission 4 there)", nil
}

func (heldAtStore007) Release(context.Context, store.Submission, string) {}

// submitHeld submits 王小二 at a till of a chain that holds him at another
// terminal, and waits for the console to say want.
func submitHeld(t *testing.T, lang, want string) (*gateway, *till) {
	t.Helper()
	g := newGateway(t)
	c := openTillGuarded(t, g, t.TempDir(), lang, heldAtStore007{})
	c.enter("王小二", "13411111111")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, want)
	return g, c
}

// A member the chain holds at another terminal: ctrl+s sends nothing and
// says so as a skip (not "not every platform said ok", nor "refused as it
// stands"); ctrl+s again still sends nothing; ctrl+r asks, and y creates
// the member here, once per platform.
func TestMemberHeldElsewhereThenCreatedAnyway(t *testing.T) {
	g, c := submitHeld(t, "en", "nothing sent: Alibaba ALSC, Youzan, NXLink enrolled at another terminal")
	waitScreen(t, c.tm, "ctrl+r")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "nothing sent: Alibaba ALSC, Youzan, NXLink enrolled at another terminal")
	for p, n := range g.created("13411111111") {
		if n != 0 {
			t.Fatalf("%s created %d customers under the chain's guard", p, n)
		}
	}
	typeKeys(c.tm, "ctrl+r")
	c.notice(t, "Create another customer anyway?")
	typeKeys(c.tm, "y")
	c.notice(t, "every platform said ok")
	g.assertOnce(t, "13411111111")
}

// In Chinese: the skip, and the held send's message in the detail.
func TestMemberHeldElsewhereInChinese(t *testing.T) {
	g, c := submitHeld(t, "zh", "未发送：阿里本地生活、有赞、NXLink 已在其他终端登记")
	typeKeys(c.tm, "ctrl+o", "enter")
	// (wrapped in the left column: 80 columns)
	waitScreen(t, c.tm, "未发送：已于 11-03 10:00")
	waitScreen(t, c.tm, "登记（那边的 #4）")
	waitModel(t, c.tm, "no error line: nothing was sent, nothing failed", func(m *Model) bool {
		return !strings.Contains(screenText(m), "错误")
	})
	// The detail says what a person can do, and it works: e, ctrl+s, ctrl+r, y.
	waitScreen(t, c.tm, "另一终端已登记该会员")
	typeKeys(c.tm, "e")
	c.notice(t, "已载入表单")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "已在其他终端登记")
	typeKeys(c.tm, "ctrl+r")
	c.notice(t, "仍要再建一个客户")
	typeKeys(c.tm, "y")
	c.notice(t, "已全部成功")
	g.assertOnce(t, "13411111111")
}
