package ui

import (
	"os"
	"strings"
)

// text is one message in both languages the console speaks.
type text struct{ zh, en string }

func (t text) in(lang string) string {
	if lang == "zh" {
		return t.zh
	}
	return t.en
}

// DefaultLang picks the console language from the environment (LC_ALL,
// LC_MESSAGES, LANG, in POSIX precedence): Chinese locales give "zh",
// anything else "en".
func DefaultLang() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if strings.HasPrefix(strings.ToLower(l), "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

func normLang(l string) string {
	if strings.HasPrefix(strings.ToLower(l), "zh") {
		return "zh"
	}
	if l == "" {
		return DefaultLang()
	}
	return "en"
}

var fieldLabels = map[string]text{
	"name":       {"姓名", "name"},
	"first_name": {"名", "first name"},
	"last_name":  {"姓", "last name"},
	"mobile":     {"手机", "mobile"},
	"phone":      {"座机", "phone"},
	"email":      {"邮箱", "email"},
	"gender":     {"性别", "gender"},
	"birthday":   {"生日", "birthday"},
	"country":    {"国家", "country"},
	"province":   {"省份", "province"},
	"city":       {"城市", "city"},
	"district":   {"区县", "district"},
	"area_code":  {"区划代码", "area code"},
	"address":    {"详细地址", "address"},
	"tags":       {"标签", "tags"},
	"remark":     {"备注", "remark"},
	"level":      {"等级", "level"},
	"member":     {"会员", "member"},
	"nickname":   {"昵称", "nickname"},
	"wechat":     {"微信", "WeChat"},
	"whatsapp":   {"WhatsApp", "WhatsApp"},
	"viber":      {"Viber", "Viber"},
	"messenger":  {"Messenger", "Messenger"},
	"instagram":  {"Instagram", "Instagram"},
	"zalo":       {"Zalo", "Zalo"},
	"line":       {"LINE", "LINE"},
	"time_zone":  {"时区", "time zone"},
	"agent":      {"归属坐席", "agent"},
	"invoice":    {"发票抬头", "invoice"},
	"custom":     {"自定义", "custom"},
}

var groupTitles = map[string]text{
	"platforms":  {"发送到", "Send to"},
	"identity":   {"身份", "Identity"},
	"contact":    {"联系方式", "Contact"},
	"address":    {"地址", "Address"},
	"membership": {"会员", "Membership"},
	"social":     {"社交账号", "Social"},
	"other":      {"其他", "Other"},
}

var placeholders = map[string]text{
	"mobile":    {"13411111111 或 +852-12344567", "13411111111 or +852-12344567"},
	"phone":     {"0571-87658765", "0571-87658765"},
	"birthday":  {"YYYY-MM-DD", "YYYY-MM-DD"},
	"tags":      {"回车或 ; 分隔", "enter or ; adds a tag"},
	"custom":    {"键=值;键=值", "key=value;key=value"},
	"level":     {"等级名或各平台的值", "level name or value"},
	"time_zone": {"Asia/Shanghai", "Asia/Shanghai"},
}

var choiceLabels = map[string]text{
	"":        {"未填", "—"},
	"male":    {"男", "male"},
	"female":  {"女", "female"},
	"unknown": {"未知", "unknown"},
	"true":    {"会员", "member"},
	"false":   {"非会员", "not member"},
}

var (
	msgTitle             = text{"custdesk 客户录入", "custdesk"}
	msgSandbox           = text{"沙箱模式：数据只发往本机模拟器 ", "SANDBOX: nothing leaves this machine "}
	msgSandboxShort      = text{"沙箱模式", "SANDBOX"}
	msgHistory           = text{"历史记录", "History"}
	msgHistoryEmpty      = text{"还没有提交记录", "No submissions yet"}
	msgNoPlatform        = text{"请至少选择一个平台", "choose at least one platform"}
	msgFixErrors         = text{"有 %d 处错误，未发送", "%d problem(s) to fix; nothing sent"}
	msgSending           = text{"发送中", "sending"}
	msgAllOK             = text{"%s 已全部成功，表单已清空", "%s: every platform said ok; form cleared"}
	msgSomeFailed        = text{"%s 未全部成功，表单保留", "%s: not every platform said ok; form kept"}
	msgDeliveredLater    = text{"%s 重试后已全部成功 · ctrl+x 清空表单", "%s: every platform said ok after retrying · ctrl+x clears the form"}
	msgKeptEdited        = text{"%s 已全部成功（表单已改动，未清空）", "%s: every platform said ok (form was edited, kept)"}
	msgCancelled         = text{"已取消 %d 个请求：可安全重发的已回到重试队列，其余在“待处理”里等你决定", "cancelled %d send(s): those safe to replay are back on the retry queue, the rest wait for you (a)"}
	msgAlreadySending    = text{"这位客户正在发送中", "this customer is already being sent"}
	msgDraftRestored     = text{"已恢复你上次正在输入、尚未发送的草稿", "restored the draft you were typing (never sent)"}
	msgBoundRestored     = text{"已恢复提交 #%d（%s）：ctrl+s 只补发还需要的平台", "restored submission #%d (%s): ctrl+s sends only what it still needs"}
	msgYesNo             = text{"[y/N]", "[y/N]"}
	msgNotDone           = text{"未执行", "not done"}
	msgAskCancel         = text{"取消 %d 个进行中的请求？可安全重发的回到重试队列", "Cancel %d send(s) in flight? Safe ones go back on the retry queue"}
	msgAskEditAccepted   = text{"%s 已接受修改前的资料。修改后的作为新提交发往其余平台？", "%s accepted the record before your edit. Send the edit to the rest as new?"}
	msgAskDuplicate      = text{"已在 %s 登记。仍要再建一个客户？", "Enrolled on %s already. Create another customer anyway?"}
	msgAskResendNoKey    = text{"重发 %[1]s（#%[2]d）？若%[1]s已创建该会员，会再建一个", "Resend to %[1]s (#%[2]d)? If it created the member, this makes another"}
	msgAskDrop           = text{"放弃 %s（#%d）？不再发送，之后仍可按 r 重发", "Drop %s (#%d)? Nothing sends it again (r still can)"}
	msgDroppedResend     = text{"已放弃：不会自动发送。r 重新发送。", "Dropped: nothing sends it again by itself. r resends it."}
	msgResending         = text{"正在重新发送 %s…", "resending %s…"}
	msgNothingSent       = text{"未发送：%s", "nothing sent: %s"}
	listComma            = text{"、", ", "}
	labelColon           = text{"：", ": "}
	clauseSemicolon      = text{"；", "; "}
	msgSendingSkip       = text{"发送到 %s；跳过 %s", "sending to %s; skipped %s"}
	msgEnrolledAt        = text{"已登记", "enrolled"}
	msgEnrolledElsewhere = text{"已在 %s 登记 %s", "enrolled at %s on %s"}
	msgLocalOnly         = text{"仅查了本机：总部库连不上", "checked on this terminal only: the central store is unreachable"}
	msgAlreadyCreated    = text{"已创建，不再发送", "already created, not sent again"}
	msgNeedsYouShort     = text{"待处理", "needs you"}
	msgNeedsYou          = text{"%d 待处理", "%d need you"}
	whyCreated           = text{"%s 已创建（#%[2]d）", "%s created (#%[2]d)"}
	whySending           = text{"%s 发送中或待重试（#%[2]d）", "%s in progress (#%[2]d)"}
	whyAttention         = text{"%s 待你处理（#%[2]d）", "%s: needs you (#%[2]d)"}
	whyRejected          = text{"%s 拒绝了原样资料，请先修改", "%s refused the record as it is: edit it first"}
	msgHeldElsewhere     = text{"另一终端已登记该会员，这里什么也没发。要在这里也创建：e 载入表单，再按 ctrl+r。", "Enrolled at another terminal; nothing was sent from here. To create it here too: e loads the form, then ctrl+r."}
	whyElsewhere         = text{"%s 已在其他终端登记", "%s enrolled at another terminal"}
	whyDropped           = text{"%s 已放弃（#%[2]d，详情里 r 重发）", "%s dropped (#%[2]d)"}
	msgQuitAsk           = text{"表单未提交。退出将丢失已输入内容？ y 退出 / n 返回", "The form is not sent. Quit and lose it? y quit / n stay"}
	msgQuitInFlight      = text{"还有 %d 个请求在发送。仍要退出？ y 退出 / n 返回", "%d send(s) still in flight. Quit anyway? y quit / n stay"}
	msgStoreError        = text{"存储错误：%v", "storage error: %v"}
	msgQueued            = text{"重试队列 %d", "%d queued for retry"}
	msgBeginFailed       = text{"无法记录提交，未发送：%v", "could not record the submission, nothing sent: %v"}
	msgLoading           = text{"加载中…", "loading…"}
	msgNoExchange        = text{"尚无应答", "no answer yet"}
	msgInFlight          = text{"发送中…", "in flight…"}
	msgCapped            = text{"应答超过 1 MiB，只显示前 1 MiB", "the answer was over 1 MiB; showing the first 1 MiB"}
	msgNotJSON           = text{"（不是 JSON，按原文显示）", "(not JSON; shown as received)"}
	msgEmptyBody         = text{"（空）", "(empty)"}
	msgNoSigned          = text{"（此平台请求不签名）", "(this platform signs nothing)"}
	msgAwaits            = text{"不会自动重试：请选择重新发送或放弃。", "No automatic retry will come: choose resend or drop."}
	msgAwaitsNoKey       = text{"%[1]s没有幂等键：请求已发出但没有结论，重新发送可能重复创建会员，所以不会自动重试。请先在%[1]s核对，再选择。", "%[1]s has no idempotency key: the request went out with no verdict, and sending it again may create the member twice, so it is not retried automatically. Check in %[1]s, then choose."}
	msgResendDrop        = text{"r 重新发送 · d 放弃", "r resend · d drop"}
	msgResent            = text{"已重新发送 %s：%s", "resent %s: %s"}
	msgDropped           = text{"已放弃 %s", "dropped %s"}
	msgEditReplace       = text{"表单里有未提交的内容；再按 e 将其替换", "the form holds unsent text; press e again to replace it"}
	msgEdited            = text{"已载入表单：修改后 ctrl+s 重新提交", "loaded into the form: edit, then ctrl+s to submit again"}
	msgMouse             = text{"鼠标：点击字段聚焦、点击历史行选中，再点一次打开", "mouse: a click focuses a field or selects a history row; a second click opens it"}
	msgSearchPlaceholder = text{"姓名 手机 客户ID  platform: outcome: since: until:", "name, mobile, ID  platform: outcome: since: until:"}
	msgSearchHint        = text{"例：王 platform:%s outcome:failed since:2026-11-01 until:2026-11-30", "e.g. wang platform:%s outcome:failed since:2026-11-01 until:2026-11-30"}
	msgSearchSyntax      = text{"搜索（/）：词语匹配姓名、手机、客户ID；筛选 platform:平台 outcome:ok|partial|rejected|failed|unknown|pending since:日期 until:日期（含当天；日期可写 2026-11-30、today、yesterday、7d、24h）；esc 清除。",
		"search (/): words match name, mobile, customer ID; filters platform:NAME outcome:ok|partial|rejected|failed|unknown|pending since:DATE until:DATE (the day included; DATE is 2026-11-30, today, yesterday, 7d or 24h); esc clears."}
	msgNoMatches    = text{"没有匹配的记录", "No matches"}
	msgHistoryFound = text{"历史记录（匹配 %d）", "History (%d found)"}
	msgExporting    = text{"正在导出…", "exporting…"}
	msgExported     = text{"已导出 %d 条：%s 和 .csv", "exported %d: %s and .csv"}
	msgExportFailed = text{"导出失败：%v", "export failed: %v"}
	msgCurlNothing  = text{"%s 没有发出请求，无可复制", "nothing was sent to %s: no request to copy"}
	msgCurlTitle    = text{"复制为 curl", "copy as curl"}
	msgCurlCopied   = text{"已通过 OSC 52 复制到剪贴板（tmux 需 set -g set-clipboard on）。也可用鼠标选取下面的命令；esc 关闭。", "Copied to the clipboard by OSC 52 (in tmux: set -g set-clipboard on). Or select the command below with the mouse; esc closes."}
	msgCurlEnv      = text{"密钥以环境变量代替，请先设置：", "Secrets are shell variables; set them first: "}
	msgCurlSigned   = text{"sign 与时间戳按原样复制：它们不是密钥，但平台拒绝过期的时间戳（误差超过 %s），所以只能在短时间内重放。", "sign and timestamp are copied as sent: they are not secrets, but the platform refuses a timestamp more than %s off, so the copy replays only for a short while."}
	msgCurlLossy    = text{"正文含控制字符，屏幕上以转义显示：请用剪贴板里的内容。", "The body holds control characters, shown escaped here: use the clipboard copy, not the screen."}
	msgCurlNUL      = text{"正文含 NUL 字节，命令行无法携带：此命令发出的字节会不同。", "The body holds NUL bytes, which no command line can carry: this command will not send the same bytes."}
	msgCopied       = text{"已复制%s：%s", "copied %s: %s"}
	msgCopyNothing  = text{"没有可复制的%s", "no %s to copy"}
	msgCleared      = text{"表单已清空：ctrl+z 撤销", "form cleared: ctrl+z brings it back"}
	msgUndone       = text{"已恢复清空前的表单", "the cleared form is back"}
	msgRequired     = text{"* 所选平台必填", "* required by a platform you chose"}
	msgLegend       = text{"✓ 成功  ◐ 部分成功  ✗ 被拒  ! 失败  ? 未知  ↻ 待重试  – 已放弃  · 未选", "✓ ok  ◐ partial  ✗ rejected  ! failed  ? unknown  ↻ queued  – dropped  · not chosen"}

	// outcomeNames are the platforms' outcomes as the console says them.
	outcomeNames = map[string]text{
		"ok": {"成功", "ok"}, "partial": {"部分成功", "partial"}, "rejected": {"被拒", "rejected"},
		"failed": {"失败", "failed"}, "unknown": {"未知", "unknown"},
	}
)

// Detail labels.
var (
	lblOutcome     = text{"结果", "outcome"}
	lblIDs         = text{"客户ID", "customer ID"}
	lblCode        = text{"代码", "code"}
	lblSubCode     = text{"子代码", "sub-code"}
	lblMessage     = text{"信息", "message"}
	lblStatus      = text{"HTTP", "HTTP"}
	lblDuration    = text{"耗时", "duration"}
	lblAttempts    = text{"次数", "attempts"}
	lblSource      = text{"来源", "source"}
	lblRetry       = text{"可重试", "retryable"}
	lblError       = text{"错误", "error"}
	lblItems       = text{"逐条", "items"}
	lblRequest     = text{"请求ID", "request ID"}
	lblNext        = text{"重试于", "next retry"}
	lblPhases      = text{"分段", "phases"}
	lblAttemptList = text{"各次尝试", "attempts"}

	modeNames = []text{
		{"应答（格式化）", "response (pretty)"},
		{"应答原始字节", "response bytes"},
		{"发送的请求", "request as sent"},
		{"签名串", "signed string"},
	}
)
