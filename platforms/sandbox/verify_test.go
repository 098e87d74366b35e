package sandbox

import (
	"encoding/json"
	"os"
	"testing"
)

type signVectors struct {
	TOP []struct {
		Params       map[string]string
		Secret, Sign string
		Method       string
	}
	NXLink []struct {
		Headers                 map[string]string
		Secret, Body, Algorithm string
		Sign                    string
	} `json:"nxlink"`
}

func loadVectors(t *testing.T) signVectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/sign_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v signVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.TOP) != 4 || len(v.NXLink) != 4 {
		t.Fatalf("vectors: %d TOP, %d NXLink", len(v.TOP), len(v.NXLink))
	}
	return v
}

// The sandbox's own verifiers reproduce the published vectors.
func TestVerifiersMatchPublishedVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.TOP {
		got, err := topSign(c.Params, c.Secret, c.Method)
		if err != nil || got != c.Sign {
			t.Errorf("topSign(%s, %s) = %s, %v; want %s", c.Params["method"], c.Method, got, err, c.Sign)
		}
		withSign := map[string]string{"sign": c.Sign, "empty": ""}
		for k, x := range c.Params {
			withSign[k] = x
		}
		if got, _ := topSign(withSign, c.Secret, c.Method); got != c.Sign {
			t.Errorf("sign and empty values must be left out: %s", got)
		}
	}
	for _, c := range v.NXLink {
		if got, err := nxSign(c.Headers, []byte(c.Body), c.Secret, c.Algorithm); err != nil || got != c.Sign {
			t.Errorf("nxSign(%s, %s) = %s, %v; want %s", c.Body, c.Algorithm, got, err, c.Sign)
		}
	}
	if _, err := topSign(v.TOP[0].Params, "s", "sha1"); err == nil {
		t.Error("an unknown TOP sign_method must not sign")
	}
	if _, err := nxSign(v.NXLink[0].Headers, nil, "s", "sha1"); err == nil {
		t.Error("an unknown NXLink algorithm must not sign")
	}
}
