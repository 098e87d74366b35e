package platforms

import (
	"strings"
	"time"
)

// Traits are the facts about a platform that code outside platforms/ acts on,
// so that none of it has to know a platform by name: the retry and resend
// policy, the importer's pace, the copied curl command.
type Traits struct {
	// Idempotent: sending a submission again (its RequestID reused) can never
	// create the customer twice, whatever became of the earlier attempt. A
	// platform that is not idempotent is resent automatically only when the
	// earlier attempt cannot have been applied.
	Idempotent bool
	// ImportRate is the requests per second an import sends at when none is
	// configured; 0 is no cap.
	ImportRate float64
	// ReplayWindow is how far the platform lets a signed timestamp stray
	// (0: requests are not signed over a timestamp), so that a copied request
	// can say how long it replays.
	ReplayWindow time.Duration
	// SignField is the form field of the body that carries the signature,
	// when the body is a signed form.
	SignField string
	// Secrets name the shell variables a copied curl command writes in place
	// of masked secrets, first match first. A secret none names is
	// CUSTDESK_<NAME>_SECRET.
	Secrets []SecretVar
}

// Where a masked secret was found in a stored request.
const (
	InURL    = "url"
	InHeader = "header"
	InBody   = "body" // a form field of the body
)

// SecretVar names the variable for a secret found at Where under Name (a
// header or form field; "" matches any). With Suffix the variable is Var
// followed by the name in capitals: a header X-Api-Key under
// CUSTDESK_P_ gives CUSTDESK_P_X_API_KEY.
type SecretVar struct {
	Where, Name string
	Var         string
	Suffix      bool
}

// SecretVar returns the shell variable for a masked secret of platform name
// found at where under field.
func (t Traits) SecretVar(name, where, field string) string {
	for _, s := range t.Secrets {
		if s.Where != where || (s.Name != "" && !strings.EqualFold(s.Name, field)) {
			continue
		}
		if s.Suffix {
			return s.Var + EnvWord(field)
		}
		return s.Var
	}
	return "CUSTDESK_" + EnvWord(name) + "_SECRET"
}

// EnvWord is s in capitals with anything but letters and digits as "_", fit
// for a shell variable name.
func EnvWord(s string) string {
	b := []byte(strings.ToUpper(s))
	for i, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			b[i] = '_'
		}
	}
	return string(b)
}
