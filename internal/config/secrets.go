package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/custdesk/custdesk/platforms"
)

// addSecret collects a resolved secret for masking, refusing one shorter
// than platforms.MinSecretLength: it would be guessed, and masking its text
// in an answer would hide ordinary words. A header value with an
// authorisation scheme ("Bearer …") is checked, and masked, for the token
// after the scheme too: that part alone may come back in an answer.
func (l *Loaded) addSecret(key, v string, errs *[]error) {
	short := func(what string) {
		*errs = append(*errs, fmt.Errorf("%s: %s is shorter than %d characters; a real one is longer (check that the value is complete)",
			key, what, platforms.MinSecretLength))
	}
	l.secrets = append(l.secrets, v)
	if scheme, token, ok := strings.Cut(strings.TrimSpace(v), " "); ok && isHeaderKey(key) && isWord(scheme) {
		token = strings.TrimSpace(token)
		if len(token) < platforms.MinSecretLength {
			short("the value after " + scheme)
			return
		}
		l.secrets = append(l.secrets, token)
		return
	}
	if len(v) < platforms.MinSecretLength {
		short("the value")
	}
}

// isHeaderKey reports a setting that is a request header's value
// (platforms.NAME.headers.X), which may carry an authorisation scheme.
func isHeaderKey(key string) bool {
	parts := strings.SplitN(key, ".", 4)
	return len(parts) == 4 && parts[0] == "platforms" && parts[2] == "headers"
}

func isWord(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// urlSecrets collects the passwords in the platforms' URLs (as written, as
// escaped, and as the Basic credentials net/http makes of them), so that an
// answer echoing one has it masked like any other secret.
func (l *Loaded) urlSecrets() {
	var urls []string
	for _, name := range l.Platforms.names() {
		urls = append(urls, l.Platforms[name].URLs()...)
	}
	if c := l.Central; c != nil {
		urls = append(urls, c.URL) // a driver's error may quote the password alone
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.User == nil {
			continue
		}
		if pw, ok := u.User.Password(); ok && len(pw) >= platforms.MinSecretLength {
			// net/http sends URL userinfo as Basic authorisation: its base64
			// form is what an echoed Authorization header carries.
			basic := base64.StdEncoding.EncodeToString([]byte(u.User.Username() + ":" + pw))
			l.secrets = append(l.secrets, pw, url.PathEscape(pw), url.QueryEscape(pw), basic)
		}
	}
}

// quoted matches a quoted piece of a TOML error message: "…" or '…'.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'`)

// tomlError rewrites a TOML decoding error so that it names where the file
// is wrong, never what it holds there: the parser's messages quote the text
// it stumbled on, which may be a secret written without its quotes
// (expected value but found "SUPERSECRET"). Quotes holding only punctuation
// ('=', '"""') say what was expected and are kept.
func tomlError(err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		where := fmt.Sprintf("line %d, column %d", pe.Position.Line, pe.Position.Col)
		if pe.LastKey != "" {
			where += " (after key " + pe.LastKey + ")"
		}
		return fmt.Errorf("not valid TOML at %s: %s", where, scrub(pe.Message))
	}
	// The decoder's own errors read `toml: line N (last key "K"): …`: the
	// head names a place and a key, the rest is scrubbed like a parse error.
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "toml: line "); ok {
		if i := strings.Index(rest, "): "); i >= 0 {
			return fmt.Errorf("not valid TOML at line %s): %s", rest[:i], scrub(rest[i+3:]))
		}
	}
	return errors.New("not valid TOML")
}

// scrub replaces the quoted text in a message, keeping quotes of punctuation.
func scrub(msg string) string {
	return quoted.ReplaceAllStringFunc(msg, func(q string) string {
		if strings.IndexFunc(q[1:len(q)-1], isTextRune) < 0 {
			return q
		}
		return "(text not shown)"
	})
}

func isTextRune(r rune) bool {
	return !strings.ContainsRune(`=.,[]{}'"#\`, r)
}
