package platforms

import (
	"bytes"
	"maps"
	"net/url"
	"strings"
)

// Masking by position: a platform client knows which parts of its request
// carry a secret (a session form field, a configured header, the secret at
// the end of a signed string, a password in the URL), and masks exactly
// those while it builds the request. Text elsewhere stays as sent, even when
// it happens to equal a secret (a customer's remark is the customer's).
// Each mask is listed in Trace.Redactions, so that a copied command can put a
// variable in exactly that place.

// MaskString is what a secret is replaced with wherever it would be shown.
const MaskString = "******"

// MinSecretLength is the shortest secret accepted: a shorter one would be
// guessed, and masking its text in an answer would hide ordinary words.
const MinSecretLength = 8

// Trace parts a Redaction can point into.
const (
	PartURL    = "url"
	PartBody   = "body"
	PartSigned = "signed"
)

// PartHeader is the part for the value of header name.
func PartHeader(name string) string { return "header:" + name }

// Redaction is one masked secret in a Trace.
type Redaction struct {
	// Part is PartURL, PartBody, PartSigned or PartHeader(name).
	Part string `json:"part"`
	// Offset is the byte offset of MaskString within that part's text.
	Offset int `json:"offset"`
	// Var is the shell variable a copied command uses for the secret
	// (CUSTDESK_ALSC_SESSION): which secret it is, by name, never its value.
	Var string `json:"var"`
}

// SecretText builds the text that is sent and the text that is shown side by
// side, so the two cannot disagree about where a secret is. Until the first
// secret the two are the same text, kept once: most texts hold no secret.
type SecretText struct {
	part        string
	sent, shown strings.Builder
	marks       []Redaction
}

// NewSecretText starts the text of one trace part.
func NewSecretText(part string) *SecretText { return &SecretText{part: part} }

// Grow makes room for n more bytes, so that a text of known length is not
// copied as it grows (an import builds two per request).
func (t *SecretText) Grow(n int) {
	t.sent.Grow(n)
	if len(t.marks) > 0 {
		t.shown.Grow(n)
	}
}

// Write appends text that is not a secret.
func (t *SecretText) Write(s string) {
	t.sent.WriteString(s)
	if len(t.marks) > 0 {
		t.shown.WriteString(s)
	}
}

// WriteQuery appends s query-escaped exactly as url.QueryEscape writes it,
// without the escaped copy QueryEscape makes of a value (a form's JSON).
func (t *SecretText) WriteQuery(s string) {
	writeQuery(&t.sent, s)
	if len(t.marks) > 0 {
		writeQuery(&t.shown, s)
	}
}

func writeQuery(b *strings.Builder, s string) {
	const upperHex = "0123456789ABCDEF"
	from := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if queryUnreserved[c] {
			continue
		}
		b.WriteString(s[from:i])
		if c == ' ' {
			b.WriteByte('+')
		} else {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
		from = i + 1
	}
	b.WriteString(s[from:])
}

// QueryEscapedLen is len(url.QueryEscape(s)), for Grow.
func QueryEscapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; !queryUnreserved[c] && c != ' ' {
			n += 2
		}
	}
	return n
}

// queryUnreserved are the bytes url.QueryEscape leaves as they are.
var queryUnreserved = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

// Secret appends a secret, held by the variable env in a copied command.
func (t *SecretText) Secret(s, env string) {
	if len(t.marks) == 0 {
		// The texts part here: the shown one starts as the sent one so far.
		t.shown.Grow(max(t.sent.Cap()-len(s)+len(MaskString), t.sent.Len()))
		t.shown.WriteString(t.sent.String())
	}
	t.marks = append(t.marks, Redaction{Part: t.part, Offset: t.shown.Len(), Var: env})
	t.sent.WriteString(s)
	t.shown.WriteString(MaskString)
}

// Sent is the text as it goes on the wire.
func (t *SecretText) Sent() string { return t.sent.String() }

// Shown is the text with its secrets masked.
func (t *SecretText) Shown() string {
	if len(t.marks) == 0 {
		return t.sent.String()
	}
	return t.shown.String()
}

// Redactions are the masks in Shown.
func (t *SecretText) Redactions() []Redaction { return t.marks }

// MaskURL is raw as a trace shows it: a password in its userinfo (or, with no
// password, a user name, which is then a token) masked. envPrefix names the
// variables: envPrefix_PASSWORD, envPrefix_USER.
func MaskURL(raw, envPrefix string) (string, []Redaction) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw, nil
	}
	user := u.User.Username()
	pw, hasPW := u.User.Password()
	if user == "" && !hasPW {
		return raw, nil
	}
	// url.URL.String writes scheme://userinfo@host...; rebuild the userinfo
	// by hand, since MaskString's "*" would come out escaped.
	full := u.String()
	head := u.Scheme + "://"
	info := u.User.String()
	if !strings.HasPrefix(full, head+info+"@") {
		return raw, nil
	}
	t := NewSecretText(PartURL)
	t.Write(head)
	if hasPW {
		t.Write(url.User(user).String() + ":")
		t.Secret(pw, envPrefix+"_PASSWORD")
	} else {
		t.Secret(user, envPrefix+"_USER")
	}
	t.Write(full[len(head)+len(info):])
	return t.Shown(), t.Redactions()
}

// URLForMessage is raw as a configuration error may quote it: its password
// masked, and none of it when it does not parse and holds a user part.
func URLForMessage(raw string) string {
	if _, err := url.Parse(raw); err != nil {
		if strings.Contains(raw, "@") {
			return "(not shown: it holds a user name or password)"
		}
		return raw
	}
	s, _ := MaskURL(raw, "CUSTDESK")
	return s
}

// Redact is the exchange as it may be kept, shown or printed. The request was
// masked by position when it was built; its body and signed string are left
// as they are. What the
// platform sent back is the platform's text: a configured secret it echoes
// (an error quoting the request, say) is masked wherever it appears there,
// and so are the transport's error and the Result's texts, which quote it.
// secrets shorter than MinSecretLength are ignored: configuration refuses
// them. Redact never changes ex's own maps and slices.
func Redact(ex Exchange, secrets []string) Exchange {
	var use []string
	for _, s := range secrets {
		if len(s) >= MinSecretLength {
			use = append(use, s)
		}
	}
	if len(use) == 0 {
		return ex
	}
	m := func(s string) string { return maskText(s, use) }
	// The URL and headers hold no customer text, only configuration: a
	// secret there that its client failed to mask is masked here as a
	// second guard. The body and signed string carry the customer's text,
	// which stays as typed.
	ex.Request.URL = m(ex.Request.URL)
	ex.Request.Headers = maskMap(ex.Request.Headers, m)
	ex.Response = maskBytes(ex.Response, use)
	ex.ResponseHeaders = maskMap(ex.ResponseHeaders, m)
	ex.Error = m(ex.Error)
	r := &ex.Result
	r.Message, r.Code, r.SubCode = m(r.Message), m(r.Code), m(r.SubCode)
	if r.CustomerIDs != nil {
		ids := make([]string, len(r.CustomerIDs))
		for i, id := range r.CustomerIDs {
			ids[i] = m(id)
		}
		r.CustomerIDs = ids
	}
	if r.Items != nil {
		items := make([]ItemResult, len(r.Items))
		for i, it := range r.Items {
			it.CustomerID, it.Code, it.Message = m(it.CustomerID), m(it.Code), m(it.Message)
			items[i] = it
		}
		r.Items = items
	}
	return ex
}

func maskMap(in map[string]string, m func(string) string) map[string]string {
	if in == nil {
		return nil
	}
	out := maps.Clone(in)
	for k, v := range out {
		out[k] = m(v)
	}
	return out
}

func maskText(s string, secrets []string) string {
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, MaskString)
		}
	}
	return s
}

func maskBytes(b []byte, secrets []string) []byte {
	if b == nil {
		return nil
	}
	for _, sec := range secrets {
		if bytes.Contains(b, []byte(sec)) {
			return []byte(maskText(string(b), secrets))
		}
	}
	return b
}
