package store

import "github.com/custdesk/custdesk/platforms"

// mask removes configured secrets from everything that is stored.
func mask(ex platforms.Exchange, secrets []string) platforms.Exchange {
	if len(secrets) == 0 {
		return ex
	}
	m := func(s string) string { return platforms.Mask(s, secrets...) }
	mb := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		return []byte(m(string(b)))
	}
	ex.Request.URL = m(ex.Request.URL)
	ex.Request.Signed = m(ex.Request.Signed)
	ex.Request.Body = mb(ex.Request.Body)
	ex.Request.Headers = maskMap(ex.Request.Headers, m)
	ex.ResponseHeaders = maskMap(ex.ResponseHeaders, m)
	ex.Response = mb(ex.Response)
	ex.Error = m(ex.Error)
	ex.Result.Message = m(ex.Result.Message)
	return ex
}

func maskMap(in map[string]string, m func(string) string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = m(v)
	}
	return out
}
