package nxlink

import (
	"strings"
	"testing"
)

// The published vectors of NXLink's public signing convention
// and the SHA-256 digest of its first row.
func TestSignPublishedVectors(t *testing.T) {
	headers := map[string]string{
		"accessKey": "fme2na3kdi3ki",
		"action":    "send",
		"bizType":   "1",
		"ts":        "1655710885431",
	}
	const secret = "abciiiko2k3"
	cases := []struct {
		body, algorithm, want string
	}{
		{`{"name":"牛小信","id":10001}`, "md5", "87c3560d3331ae23f1021e2025722354"},
		{`{"id":10001,"name":"牛小信"}`, "md5", "7750759da06333f20d0640be09355e34"},
		{`{"id": 10001, "name": "牛小信"}`, "md5", "d0c24a9886c629330d7f3f2056c65bc2"},
		{`{"name":"牛小信","id":10001}`, "", "87c3560d3331ae23f1021e2025722354"},
		{`{"name":"牛小信","id":10001}`, "sha256", "e0eec2c99ef80f269a82795e2223f618ebfc0616c8b6c8c7d438021ec38ad0eb"},
		{`{"name":"牛小信","id":10001}`, "SHA256", "e0eec2c99ef80f269a82795e2223f618ebfc0616c8b6c8c7d438021ec38ad0eb"},
	}
	for _, c := range cases {
		got, signed := Sign(headers, []byte(c.body), secret, c.algorithm)
		if got != c.want {
			t.Errorf("Sign(%s, %q) = %s, want %s", c.body, c.algorithm, got, c.want)
		}
		wantSigned := "accessKey=fme2na3kdi3ki&action=send&bizType=1&ts=1655710885431&body=" + c.body + "&accessSecret=******"
		if signed != wantSigned {
			t.Errorf("signed string = %q, want %q", signed, wantSigned)
		}
	}
}

func TestSignIgnoresSignAndAlgorithmHeaders(t *testing.T) {
	base := map[string]string{"accessKey": "fme2na3kdi3ki", "action": "send", "bizType": "1", "ts": "1655710885431"}
	with := map[string]string{"accessKey": "fme2na3kdi3ki", "action": "send", "bizType": "1", "ts": "1655710885431",
		"sign": "whatever", "algorithm": "sha256"}
	body := []byte(`{"name":"牛小信","id":10001}`)
	a, _ := Sign(base, body, "abciiiko2k3", "sha256")
	b, signed := Sign(with, body, "abciiiko2k3", "sha256")
	if a != b {
		t.Errorf("sign or algorithm header changed the signature: %s vs %s", a, b)
	}
	if strings.Contains(signed, "whatever") || strings.Contains(signed, "algorithm") {
		t.Errorf("signed string includes an unsigned header: %q", signed)
	}
}

func TestSignEmptyBodyHasNoBodyPart(t *testing.T) {
	_, signed := Sign(map[string]string{"ts": "1"}, nil, "s3cr3t", "md5")
	if signed != "ts=1&accessSecret=******" {
		t.Errorf("signed = %q", signed)
	}
}

func TestSignUnknownAlgorithmNeverMatches(t *testing.T) {
	sign, _ := Sign(map[string]string{"ts": "1"}, []byte("{}"), "s", "sha1")
	if sign != "" {
		t.Errorf("sign for an unknown algorithm = %q, want empty", sign)
	}
}

// The secret is masked where it is, at the end; a customer's text that
// equals it is the customer's and stays as sent (masking by text would make
// a copied command send the secret as the remark).
func TestSignMasksTheSecretByPosition(t *testing.T) {
	_, signed := Sign(map[string]string{"accessKey": "k"}, []byte(`{"remark":"topsecret"}`), "topsecret", "md5")
	if want := `accessKey=k&body={"remark":"topsecret"}&accessSecret=******`; signed != want {
		t.Errorf("signed = %q, want %q", signed, want)
	}
}
