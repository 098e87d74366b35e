package platforms

import "testing"

func TestLandlineTakesTelephoneNumbersAsPeopleWriteThem(t *testing.T) {
	for _, ok := range []string{
		"", "0571-87658765", "057187658765", "(0571) 8765 8765", "+86-571-87658765",
		"400-123-4567", "95588", "021.6888.1234", "0571-87658765 转 801", "0571-87658765转801",
		"0571-87658765 ext. 12", "0571-87658765 EXT 12", "0571-87658765x12", "0571-87658765#12",
	} {
		r := Rules{Platform: "p", Title: "P"}
		if !r.Landline("phone", ok) || len(r.Errs) != 0 {
			t.Errorf("Landline(%q) refused: %v", ok, r.Errs)
		}
	}
	for _, bad := range []string{
		"bad@@mail", "wang@example.com", "无", "n/a", "-", "1234", "0571-8765x", "0571-87658765 转 分机",
		"0571-87658765 x 1234567", "123456789012345678901", "++86 571 8765", "0571+87658765", "转801",
		"x12345", "0571 8765\x00", "０５７１", "13411111111a",
	} {
		r := Rules{Platform: "p", Title: "P"}
		if r.Landline("phone", bad) || len(r.Errs) != 1 || r.Errs[0].Rule != RuleFormat || r.Errs[0].Field != "phone" {
			t.Errorf("Landline(%q) accepted or misreported: %v", bad, r.Errs)
		}
	}
}

func TestLandlineAllocatesNothingForAGoodNumber(t *testing.T) {
	r := Rules{Platform: "p", Title: "P"}
	if n := testing.AllocsPerRun(100, func() { r.Landline("phone", "0571-87658765 转 801") }); n != 0 {
		t.Fatalf("%v allocations per check", n)
	}
}

func TestAreaCodeIsADivisionCode(t *testing.T) {
	for _, ok := range []string{"", "330106", "330106001", "330106001001"} {
		r := Rules{}
		if !r.AreaCode("area_code", ok) || len(r.Errs) != 0 {
			t.Errorf("AreaCode(%q) refused: %v", ok, r.Errs)
		}
	}
	for _, bad := range []string{"abc", "33010", "3301060", "33010600100", "3301060010011", "330-106", "３３０１０６"} {
		r := Rules{}
		if r.AreaCode("area_code", bad) || len(r.Errs) != 1 || r.Errs[0].Rule != RuleFormat {
			t.Errorf("AreaCode(%q) accepted or misreported: %v", bad, r.Errs)
		}
	}
}
