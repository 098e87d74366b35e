package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// nxFill sets every field of c that keep(i) allows to a value of its own,
// failing on a field of a kind the packed form does not handle.
func nxFill(t *testing.T, c *nxCustomer, seed int, keep func(i int) bool) {
	t.Helper()
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		if !keep(i) {
			continue
		}
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String:
			f.SetString(v.Type().Field(i).Name + "-" + strconv.Itoa(seed))
		case f.Type() == reflect.TypeFor[*int]():
			n := seed + i
			f.Set(reflect.ValueOf(&n))
		default:
			t.Fatalf("nxCustomer.%s is a %s, which nxPack does not keep", v.Type().Field(i).Name, f.Type())
		}
	}
}

func TestNXPackKeepsEveryField(t *testing.T) {
	var all nxCustomer
	nxFill(t, &all, 1, func(int) bool { return true })
	if got := nxUnpack(nxPack(&all)); !reflect.DeepEqual(got, all) {
		t.Errorf("packed and unpacked:\n%+v\nwant\n%+v", got, all)
	}
	// Each field alone, so that two fields sharing a tag show up too.
	for i := range reflect.TypeFor[nxCustomer]().NumField() {
		var one nxCustomer
		nxFill(t, &one, 2, func(j int) bool { return j == i })
		if got := nxUnpack(nxPack(&one)); !reflect.DeepEqual(got, one) {
			t.Errorf("field %d alone: got %+v, want %+v", i, got, one)
		}
	}
	if got := len(nxTextFields) + len(nxNumberFields); got != reflect.TypeFor[nxCustomer]().NumField() {
		t.Errorf("the packed form lists %d fields, nxCustomer has %d", got, reflect.TypeFor[nxCustomer]().NumField())
	}
}

func TestNXPackValues(t *testing.T) {
	zero, negative := 0, -3
	cases := []nxCustomer{
		{},
		{FullName: "王小二"},
		{FullName: "a", Gender: &zero, Weight: &negative},         // a zero number is given, not absent
		{FullName: strings.Repeat("🙂", 2000), Remark: "\x00\n\""}, // lengths past one uvarint byte
		{FullName: "a", CustomizeField: `{"会员卡":"C1"}`, Email: "a@example.com"},
	}
	for _, c := range cases {
		if got := nxUnpack(nxPack(&c)); !reflect.DeepEqual(got, c) {
			t.Errorf("packed and unpacked:\n%+v\nwant\n%+v", got, c)
		}
	}
}

// nxOverlay must merge exactly as decoding the new customer's JSON onto the
// old one did.
func TestNXOverlayIsTheJSONMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		var old, c nxCustomer
		nxFill(t, &old, round, func(int) bool { return rng.IntN(2) == 0 })
		nxFill(t, &c, round+1000, func(int) bool { return rng.IntN(3) == 0 })
		old.FullName, c.FullName = "old", "new" // required of every stored customer and send
		if rng.IntN(4) == 0 {
			c = nxCustomer{FullName: "new"}
		}

		want := old
		if old.Gender != nil {
			g := *old.Gender
			want.Gender = &g
		}
		if old.Weight != nil {
			w := *old.Weight
			want.Weight = &w
		}
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		got := old
		nxOverlay(&got, &c)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("overlay of %+v onto %+v:\n%+v\nwant\n%+v", c, old, got, want)
		}
	}
}
