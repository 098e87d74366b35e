package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
)

// How the NXLink simulator keeps its customers. It must keep them whole (a
// merge, type 1, overlays a send onto everything known), but an import keeps
// the in-process sandbox alive for its whole run, so every byte per customer
// counts: a decoded nxCustomer with its strings takes some 500 bytes, its
// JSON 90 to 300 (mostly field names). The packed form below stores only the
// non-empty fields, each as a one-byte tag, a length and the value.

// nxKey is a digest of a contact key (nxContactKey): a fixed 16 bytes. Two
// customers would be taken for one only by a collision of truncated SHA-256,
// about n²/2¹²⁹ for n customers (some 10⁻²⁷ for a million).
type nxKey [16]byte

func nxKeyOf(contactKey string) nxKey {
	sum := sha256.Sum256([]byte(contactKey))
	return nxKey(sum[:16])
}

// nxStored is one customer: the ID it was given and its fields, packed.
type nxStored struct {
	id       uint64
	customer string
}

// nxTextFields and nxNumberFields are every field of nxCustomer; a field's
// position (text fields first) is its tag in the packed form.
// TestNXPackKeepsEveryField fails when the wire type gains one not listed.
var nxTextFields = [...]func(*nxCustomer) *string{
	func(c *nxCustomer) *string { return &c.FullName },
	func(c *nxCustomer) *string { return &c.FirstName },
	func(c *nxCustomer) *string { return &c.LastName },
	func(c *nxCustomer) *string { return &c.SMSPhone },
	func(c *nxCustomer) *string { return &c.WhatsAppPhone },
	func(c *nxCustomer) *string { return &c.ViberPhone },
	func(c *nxCustomer) *string { return &c.Messenger },
	func(c *nxCustomer) *string { return &c.Instagram },
	func(c *nxCustomer) *string { return &c.Zalo },
	func(c *nxCustomer) *string { return &c.Line },
	func(c *nxCustomer) *string { return &c.Country },
	func(c *nxCustomer) *string { return &c.Email },
	func(c *nxCustomer) *string { return &c.Address },
	func(c *nxCustomer) *string { return &c.Birthday },
	func(c *nxCustomer) *string { return &c.TagStr },
	func(c *nxCustomer) *string { return &c.Remark },
	func(c *nxCustomer) *string { return &c.TimeZone },
	func(c *nxCustomer) *string { return &c.CustomizeField },
	func(c *nxCustomer) *string { return &c.BelongSeatUser },
}

var nxNumberFields = [...]func(*nxCustomer) **int{
	func(c *nxCustomer) **int { return &c.Gender },
	func(c *nxCustomer) **int { return &c.Weight },
}

// nxPack is c's stored form: for each non-empty field, its tag, then a text's
// length (uvarint) and bytes, or a number (varint). Empty texts and absent
// numbers are left out, as the wire's omitempty leaves them out.
func nxPack(c *nxCustomer) string {
	var scratch [256]byte
	b := scratch[:0]
	for tag, field := range nxTextFields {
		if s := *field(c); s != "" {
			b = append(b, byte(tag))
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	for i, field := range nxNumberFields {
		if p := *field(c); p != nil {
			b = append(b, byte(len(nxTextFields)+i))
			b = binary.AppendVarint(b, int64(*p))
		}
	}
	return string(b)
}

// nxUnpack reverses nxPack. It reads only what nxPack wrote, so a malformed
// input is a bug here, reported as such.
func nxUnpack(packed string) nxCustomer {
	var c nxCustomer
	b := []byte(packed)
	for len(b) > 0 {
		tag := int(b[0])
		b = b[1:]
		if tag < len(nxTextFields) {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				panic("sandbox: corrupt packed NXLink customer")
			}
			*nxTextFields[tag](&c) = string(b[w : w+int(n)])
			b = b[w+int(n):]
			continue
		}
		v, w := binary.Varint(b)
		if w <= 0 || tag-len(nxTextFields) >= len(nxNumberFields) {
			panic("sandbox: corrupt packed NXLink customer")
		}
		n := int(v)
		*nxNumberFields[tag-len(nxTextFields)](&c) = &n
		b = b[w:]
	}
	return c
}

// nxOverlay merges c onto old: every field c gives replaces old's, the rest
// stay. It is what decoding c's JSON onto old did, since the wire type omits
// empty fields; the one it always writes, full_name, is never empty in a
// customer that passed nxCheckCustomer.
func nxOverlay(old, c *nxCustomer) {
	for _, field := range nxTextFields {
		if s := *field(c); s != "" {
			*field(old) = s
		}
	}
	for _, field := range nxNumberFields {
		if p := *field(c); p != nil {
			v := *p
			*field(old) = &v
		}
	}
}
