package ui

import (
	"regexp"
	"sync"

	"github.com/custdesk/custdesk/platforms"
)

// The messages custdesk itself writes into a result (its transport's: a
// timeout, a lost connection, a body that is not JSON) are recorded in
// English, the history's language. They are said in the console's language
// when shown, from the result's code and the message's shape, so an entry
// recorded by an English console reads in Chinese in a Chinese one. A
// platform's own message (any other code, or another text) shows as the
// platform wrote it. The patterns are compiled when a result is first shown,
// not at every start of the binary.
type ownMessage struct {
	code string
	re   *regexp.Regexp
	zh   string
}

var ownMessages = sync.OnceValue(func() []ownMessage {
	return []ownMessage{
		{"CANCELLED", regexp.MustCompile(`^cancelled before the request was sent$`), "发送前已取消"},
		{"CANCELLED", regexp.MustCompile(`^cancelled after the request was sent; the platform may have applied it$`), "请求发出后被取消；平台可能已处理"},
		{"TIMEOUT", regexp.MustCompile(`^could not send within (.+)$`), "$1 内未能发出"},
		{"TIMEOUT", regexp.MustCompile(`^no answer within (.+) after sending; the platform may have applied it$`), "发出后 $1 内没有应答；平台可能已处理"},
		{"CONN_REFUSED", regexp.MustCompile(`^connection refused: (.*)$`), "连接被拒绝：$1"},
		{"DNS", regexp.MustCompile(`^cannot resolve host: (.*)$`), "无法解析主机：$1"},
		{"CONN_LOST", regexp.MustCompile(`^connection lost after sending \((.*)\); the platform may have applied it$`), "发送后连接中断（$1）；平台可能已处理"},
		{"TLS", regexp.MustCompile(`^TLS failure: (.*)$`), "TLS 失败：$1"},
		{"READ", regexp.MustCompile(`^the answer was cut off while reading \((.*)\); the platform may have applied the request$`), "读取应答时中断（$1）；平台可能已处理该请求"},
		{"ENROLLED_ELSEWHERE", regexp.MustCompile(`^not sent: already enrolled at (.+) on (.+) \(submission (\d+) there\)$`), "未发送：已于 $2 在 $1 登记（那边的 #$3）"},
		{"BAD_BODY", regexp.MustCompile(`^truncated JSON$`), "JSON 不完整（被截断）"},
		{"BAD_BODY", regexp.MustCompile(`^empty body$`), "应答为空"},
		{"BAD_BODY", regexp.MustCompile(`^HTML instead of JSON(.*)$`), "应答是 HTML 而不是 JSON$1"},
		{"BAD_BODY", regexp.MustCompile(`^malformed JSON: (.*)$`), "JSON 格式错误：$1"},
		{"BAD_BODY", regexp.MustCompile(`^unreadable answer$`), "无法解读的应答"},
		{"BAD_BODY", regexp.MustCompile(`^could not read the answer: (.*)$`), "无法读取应答：$1"},
	}
})

// resultMessage is r's message in the console's language.
func (c *common) resultMessage(r platforms.Result) string {
	if c.lang != "zh" {
		return r.Message
	}
	for _, m := range ownMessages() {
		if m.code == r.Code && m.re.MatchString(r.Message) {
			return m.re.ReplaceAllString(r.Message, m.zh)
		}
	}
	return r.Message
}
