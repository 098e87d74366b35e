package ui

import (
	"fmt"
	"path/filepath"

	"github.com/custdesk/custdesk/internal/private"
)

// msgDirOpen puts the remedy first: a narrow status line cuts the end.
var msgDirOpen = text{"请运行 chmod 700 %s：其他用户可读此数据目录（权限 %04o），其中有顾客的个人信息",
	"run chmod 700 %s: others can read this data directory (mode %04o), and it holds customers' personal data"}

// warnOpenDir puts the data directory's warning on the status line, where
// the cashier sees it at start-up (stderr is hidden behind the screen).
func (m *Model) warnOpenDir(dbPath string) {
	dir := filepath.Dir(dbPath)
	if mode, open := private.OpenDir(dir); open {
		m.status.set(paneForm, noticeError, fmt.Sprintf(m.c.tr(msgDirOpen), shortPath(dir), mode))
	}
}
