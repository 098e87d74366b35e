package platforms

// RateKeyed is a Section whose platform counts its rate limit per
// credential (an app key): terminals and imports configured with the same
// one share one budget when the chain's central store is set.
type RateKeyed interface {
	// RateKey is the credential the platform's rate limit is counted
	// against, as configured (after env: resolution); "" if none.
	RateKey() string
}
