package platforms

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// platformName matches a platform's name in any case, in Latin letters or
// Chinese: what must not appear in a string literal outside platforms/.
var platformName = regexp.MustCompile(`(?i)alsc|youzan|nxlink|有赞`)

// Only the platform packages know the platforms by name: everything else acts
// on a platform's Traits, so adding or changing a platform is a change under
// platforms/ alone (each defines its own configuration section; the catalog
// lists them). Tests, the configuration example and vendored code are
// exempt, and import paths are not string literals in this sense.
func TestNoPlatformNamesOutsidePlatforms(t *testing.T) {
	root := filepath.Join("..")
	fset := token.NewFileSet()
	var hits []string
	scannedUI := false
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			// third_party is vendored upstream code, not custdesk's: its
			// words are its own (excelize's "showHorizontalScroll").
			if rel == "platforms" || rel == "third_party" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		scannedUI = scannedUI || filepath.Dir(rel) == "ui"
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		imports := map[*ast.BasicLit]bool{}
		for _, im := range f.Imports {
			imports[im.Path] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || imports[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			if platformName.MatchString(s) {
				hits = append(hits, fset.Position(lit.Pos()).String()+": "+lit.Value)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !scannedUI {
		t.Fatal("the walk never reached ui/: the test would pass on nothing")
	}
	for _, h := range hits {
		t.Error("platform named outside platforms/: " + h)
	}
}
