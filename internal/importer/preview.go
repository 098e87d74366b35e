package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/custdesk/custdesk/platforms"
)

// PreviewRow is one row as it would be sent: normalised, with what the
// normaliser changed and what would keep it from being sent.
type PreviewRow struct {
	Row      int                `json:"row"`
	Customer platforms.Customer `json:"customer"`
	Changes  []platforms.Change `json:"changes,omitempty"`
	Problems []Problem          `json:"problems,omitempty"`
}

// Preview reads the header and the first n rows of a file, for `import
// --check`: the columns as mapped and the rows as they would be sent.
func Preview(ctx context.Context, in Input, ps []platforms.Platform, n int) ([]ColumnMap, []PreviewRow, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, err := openRows(f, sha256.New(), in)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	defer rows.Close()
	var out []PreviewRow
	for len(out) < n && ctx.Err() == nil {
		row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		out = append(out, PreviewRow{Row: row.Line, Customer: row.Customer, Changes: row.Changes, Problems: rowProblems(row, ps)})
	}
	return rows.Columns(), out, ctx.Err()
}
