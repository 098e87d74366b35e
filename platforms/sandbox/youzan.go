package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Codes the Youzan simulator answers with. The seed page documents the envelope
// but no code table, so these follow HTTP's meanings, which the client's parser
// also reads that way (5xx retryable, the rest refusals).
const (
	youzanCodeOK        = 200
	youzanCodeParam     = 400 // a missing or malformed parameter
	youzanCodeAuth      = 401 // a configured header missing or wrong (HTTP 401 too)
	youzanCodeApp       = 403 // appId is not the configured application
	youzanCodeMediaType = 415
	youzanCodeBusy      = 500 // the retryable "system busy"
)

// youzanMaxBody bounds what the simulator reads of a request: one member is a
// few hundred bytes.
const youzanMaxBody = 1 << 20

func init() {
	register("Youzan", PathYouzan, func(s *Server) simulator { return &youzanSim{s: s} })
}

// youzanSim plays the third-party endpoint of Youzan's cloud connector: it holds
// no state of its own, so concurrent requests need no lock.
type youzanSim struct{ s *Server }

// youzanMember is the MemberCreateExtension body with the page's types, so a
// wrongly typed field is refused the way a typed backend refuses it.
type youzanMember struct {
	RootKdtID              *int64          `json:"rootKdtId"`
	AppID                  string          `json:"appId"`
	GlobalProps            json.RawMessage `json:"globalProps"`
	ExtendMap              json.RawMessage `json:"extendMap"`
	YzOpenID               string          `json:"yzOpenId"`
	OutStoreID             string          `json:"outStoreId"`
	YzAscriptionKdtID      *int64          `json:"yzAscriptionKdtId"`
	OutAscriptionStoreID   string          `json:"outAscriptionStoreId"`
	YzMemberSourceKdtID    *int64          `json:"yzMemberSourceKdtId"`
	OutMemberSourceStoreID string          `json:"outMemberSourceStoreId"`
	Name                   string          `json:"name"`
	Gender                 *string         `json:"gender"`
	Mobile                 string          `json:"mobile"`
	Nickname               string          `json:"nickname"`
	AvatarURL              string          `json:"avatarUrl"`
	Birthday               *string         `json:"birthday"`
	CustomerCreatedTime    *string         `json:"customerCreatedTime"`
	MemberCreatedTime      *string         `json:"memberCreatedTime"`
	MemberSourceChannel    *int64          `json:"memberSourceChannel"`
	MemberSrcWay           string          `json:"memberSrcWay"`
	CustomerSourceChannel  *int64          `json:"customerSourceChannel"`
	Address                *struct {
		CountyName    string `json:"countyName"`
		CityName      string `json:"cityName"`
		ProvinceName  string `json:"provinceName"`
		AreaCode      string `json:"areaCode"`
		AddressDetail string `json:"addressDetail"`
	} `json:"address"`
	Weixin *struct {
		Nickname string `json:"nickname"`
		Avatar   string `json:"avatar"`
		Account  string `json:"account"`
	} `json:"weixin"`
	CustomerAttrInfos []struct {
		Name     string `json:"name"`
		Value    string `json:"value"`
		DataType *int64 `json:"dataType"`
	} `json:"customerAttrInfos"`
	FreeLevel    *youzanLevel `json:"freeLevel"`
	PaymentLevel *youzanLevel `json:"paymentLevel"`
}

type youzanLevel struct {
	LevelType     *int64 `json:"levelType"`
	YzLevelName   string `json:"yzLevelName"`
	YzLevelAlias  string `json:"yzLevelAlias"`
	OutLevelName  string `json:"outLevelName"`
	OutLevelAlias string `json:"outLevelAlias"`
}

type youzanEnvelope struct {
	Success   bool              `json:"success"`
	Code      int               `json:"code"`
	Message   string            `json:"message"`
	RequestID string            `json:"requestId"`
	ErrorData map[string]string `json:"errorData,omitempty"`
	Data      *youzanData       `json:"data"`
}

type youzanData struct {
	OutOpenID string `json:"outOpenId"`
}

// youzanRefusal is one violation: the field it concerns and the message in the
// platform's language.
type youzanRefusal struct {
	code    int
	field   string
	message string
}

func (y *youzanSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if name, present := y.badHeader(r.Header); name != "" {
		msg := "鉴权失败: 请求头 " + name + " 的值不正确"
		if !present {
			msg = "鉴权失败: 缺少请求头 " + name
		}
		y.write(w, http.StatusUnauthorized, youzanEnvelope{Code: youzanCodeAuth, Message: msg, ErrorData: map[string]string{"header": name}})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		y.write(w, http.StatusUnsupportedMediaType, youzanEnvelope{Code: youzanCodeMediaType, Message: "Content-Type 必须为 application/json"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, youzanMaxBody))
	if err != nil {
		y.refuse(w, youzanRefusal{youzanCodeParam, "", "请求体无法读取或超过 1 MiB"})
		return
	}
	var m youzanMember
	if ref, ok := decodeYouzan(body, &m); !ok {
		y.refuse(w, ref)
		return
	}
	if ref, ok := y.check(&m); !ok {
		y.refuse(w, ref)
		return
	}
	id := y.s.newID()
	y.s.countCreated(PathYouzan, 1)
	y.s.countMobile(PathYouzan, m.Mobile)
	y.write(w, http.StatusOK, youzanEnvelope{Success: true, Code: youzanCodeOK, Message: "success", Data: &youzanData{OutOpenID: id}})
}

// badHeader names the first configured header (in name order) that is missing or
// wrong, and whether it was present at all. The expected value is never echoed.
func (y *youzanSim) badHeader(h http.Header) (name string, present bool) {
	names := make([]string, 0, len(y.s.cfg.YouzanHeaders))
	for k := range y.s.cfg.YouzanHeaders {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		got, ok := h[http.CanonicalHeaderKey(k)]
		if !ok || len(got) == 0 {
			return http.CanonicalHeaderKey(k), false
		}
		if len(got) != 1 || got[0] != y.s.cfg.YouzanHeaders[k] {
			return http.CanonicalHeaderKey(k), true
		}
	}
	return "", false
}

func decodeYouzan(body []byte, m *youzanMember) (youzanRefusal, bool) {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" || trimmed[0] != '{' {
		return youzanRefusal{youzanCodeParam, "", "请求体必须是 JSON 对象"}, false
	}
	if err := json.Unmarshal(body, m); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return youzanRefusal{youzanCodeParam, typeErr.Field, "参数类型错误: " + typeErr.Field + " 不应为 " + typeErr.Value}, false
		}
		return youzanRefusal{youzanCodeParam, "", "请求体不是合法的 JSON"}, false
	}
	return youzanRefusal{}, true
}

// check applies the page's rules in its field order and reports the first
// violation, as the connector's validation does.
func (y *youzanSim) check(m *youzanMember) (youzanRefusal, bool) {
	switch {
	case strings.TrimSpace(m.AppID) == "":
		return youzanRefusal{youzanCodeParam, "appId", "appId 不能为空"}, false
	case m.AppID != y.s.cfg.YouzanAppID:
		return youzanRefusal{youzanCodeApp, "appId", "appId 无效: 应用不存在或未授权"}, false
	case !isJSONObject(m.GlobalProps, true):
		return youzanRefusal{youzanCodeParam, "globalProps", "globalProps 必须为对象"}, false
	case !isJSONObject(m.ExtendMap, false):
		return youzanRefusal{youzanCodeParam, "extendMap", "extendMap 不能为空, 且必须为对象"}, false
	case given(m.Gender) && *m.Gender != "0" && *m.Gender != "1" && *m.Gender != "2":
		return youzanRefusal{youzanCodeParam, "gender", "gender 取值应为 0(未知)、1(男) 或 2(女)"}, false
	case strings.TrimSpace(m.Mobile) == "":
		return youzanRefusal{youzanCodeParam, "mobile", "mobile 不能为空"}, false
	case !youzanMobileOK(m.Mobile):
		return youzanRefusal{youzanCodeParam, "mobile", "mobile 格式错误: 大陆手机号为 11 位数字, 非大陆手机号格式为 区号-手机号, 例如 +852-12344567"}, false
	case given(m.Birthday) && !isLayout(*m.Birthday, time.DateOnly):
		return youzanRefusal{youzanCodeParam, "birthday", "birthday 格式应为 yyyy-MM-dd"}, false
	case given(m.CustomerCreatedTime) && !isLayout(*m.CustomerCreatedTime, time.DateTime):
		return youzanRefusal{youzanCodeParam, "customerCreatedTime", "customerCreatedTime 格式应为 yyyy-MM-dd HH:mm:ss"}, false
	case given(m.MemberCreatedTime) && !isLayout(*m.MemberCreatedTime, time.DateTime):
		return youzanRefusal{youzanCodeParam, "memberCreatedTime", "memberCreatedTime 格式应为 yyyy-MM-dd HH:mm:ss"}, false
	}
	for i, a := range m.CustomerAttrInfos {
		if strings.TrimSpace(a.Name) == "" {
			field := "customerAttrInfos[" + strconv.Itoa(i) + "].name"
			return youzanRefusal{youzanCodeParam, field, field + " 不能为空"}, false
		}
	}
	for _, l := range []struct {
		field string
		level *youzanLevel
	}{{"freeLevel", m.FreeLevel}, {"paymentLevel", m.PaymentLevel}} {
		switch {
		case l.level == nil:
		case strings.TrimSpace(l.level.YzLevelAlias) == "":
			return youzanRefusal{youzanCodeParam, l.field + ".yzLevelAlias", l.field + ".yzLevelAlias 不能为空"}, false
		case l.level.LevelType != nil && *l.level.LevelType != 1 && *l.level.LevelType != 2:
			return youzanRefusal{youzanCodeParam, l.field + ".levelType", l.field + ".levelType 取值应为 1 或 2"}, false
		}
	}
	return youzanRefusal{}, true
}

// youzanMobileOK is the page's format, checked on the wire independently of the
// client's formatting: 11 mainland digits starting with 1, or
// "+<country code>-<number>" for a number outside the mainland whose length is
// possible for its country.
func youzanMobileOK(s string) bool {
	if len(s) == 11 && s[0] == '1' && platforms.IsDigits(s) {
		return true
	}
	cc, national, ok := strings.Cut(s, "-")
	if !ok || len(cc) < 2 || len(cc) > 4 || cc[0] != '+' || !platforms.IsDigits(cc[1:]) || !platforms.IsDigits(national) {
		return false
	}
	m, ok := platforms.ParseMobile(s)
	return ok && !m.Mainland()
}

// isJSONObject reports whether raw is an object; absent (or null) counts only
// when optional.
func isJSONObject(raw json.RawMessage, optional bool) bool {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return optional
	}
	return s[0] == '{'
}

// given treats "" like absent, as the page's optional string fields are.
func given(s *string) bool { return s != nil && *s != "" }

func isLayout(s, layout string) bool {
	_, err := time.Parse(layout, s)
	return err == nil && len(s) == len(layout)
}

func (y *youzanSim) refuse(w http.ResponseWriter, ref youzanRefusal) {
	env := youzanEnvelope{Code: ref.code, Message: ref.message}
	if ref.field != "" {
		env.ErrorData = map[string]string{"field": ref.field}
	}
	y.write(w, http.StatusOK, env)
}

// RetryableError is the connector's "system busy": HTTP 200, success=false, code 500.
func (y *youzanSim) RetryableError(w http.ResponseWriter, _ *http.Request) {
	y.write(w, http.StatusOK, youzanEnvelope{Code: youzanCodeBusy, Message: "系统繁忙,请稍后重试"})
}

func (y *youzanSim) AnswerCreated(w http.ResponseWriter, _ *http.Request) {
	y.write(w, http.StatusOK, youzanEnvelope{Success: true, Code: youzanCodeOK, Message: "success", Data: &youzanData{OutOpenID: y.s.newID()}})
}

func (y *youzanSim) write(w http.ResponseWriter, status int, env youzanEnvelope) {
	env.RequestID = platforms.NewRequestID()
	body, err := json.Marshal(env)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
