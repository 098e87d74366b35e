package ui

import (
	"fmt"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// The IDs come first: on a narrow screen the end of the line is cut.
var msgUnrecorded = text{
	"%s：答复未能写入历史，请记下：%s · 表单保留（%s）",
	"%s: answers NOT saved in history, note them: %s · form kept (%s)",
}

// unrecordedNotice is the notice for a submit whose answers, or some of them,
// the history could not take: which platform said what, with its customer
// IDs, since they exist nowhere else. ok is false when every answer was
// recorded.
func (m *Model) unrecordedNotice(s *submitting) (notice string, ok bool) {
	why := ""
	var said []string
	for _, name := range s.names {
		ex, done := s.results[name]
		if !done || ex.Unrecorded == "" {
			continue
		}
		why = ex.Unrecorded
		one := m.c.platformTitle(name) + " " + string(ex.Result.Outcome)
		if len(ex.Result.CustomerIDs) > 0 {
			one += " " + strings.Join(ex.Result.CustomerIDs, ",")
		}
		said = append(said, one)
	}
	if len(said) == 0 {
		return "", false
	}
	return fmt.Sprintf(m.c.tr(msgUnrecorded), s.name, strings.Join(said, "; "), platforms.Clip(why, 60)), true
}
