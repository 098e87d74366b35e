package sandbox

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Counting created customers per mobile proves what the console promises:
// at most one customer per platform for a member, whatever was pressed.
// It is off by default: a demo or an import of a million customers should
// not keep a counter per mobile.
type mobileCounts struct {
	on sync.Once
	m  atomic.Pointer[sync.Map] // path + "\x00" + digits -> *atomic.Int64
}

// CountByMobile starts counting created customers per platform and mobile
// (see CreatedFor).
func (s *Server) CountByMobile() {
	s.byMobile.on.Do(func() { s.byMobile.m.Store(&sync.Map{}) })
}

// CreatedFor is how many customers the simulator at path created for this
// mobile since CountByMobile (written in any form: 13411111111,
// +8613411111111 and 86-134-1111-1111 are one mobile).
func (s *Server) CreatedFor(path, mobile string) int64 {
	m := s.byMobile.m.Load()
	if m == nil {
		return 0
	}
	return counter(m, path+"\x00"+mobileDigits(mobile)).Load()
}

func (s *Server) countMobile(path, mobile string) {
	if m := s.byMobile.m.Load(); m != nil && mobile != "" {
		counter(m, path+"\x00"+mobileDigits(mobile)).Add(1)
	}
}

// mobileDigits keeps the digits, without a mainland +86.
func mobileDigits(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		return d[2:]
	}
	return d
}
