package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"reflect"
)

// The driver's rows and arguments for a preparedTx, converted as
// database/sql converts them for the columns and arguments the store uses.

// namedValues converts arguments as database/sql does for a driver without
// its own checker (modernc.org/sqlite has none).
func namedValues(args []any) ([]driver.NamedValue, error) {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		var v driver.Value
		switch x := a.(type) {
		case string, int64, []byte, nil:
			v = x
		case int:
			v = int64(x)
		default:
			var err error
			if v, err = driver.DefaultParameterConverter.ConvertValue(a); err != nil {
				return nil, fmt.Errorf("sql: converting argument $%d type: %w", i+1, err)
			}
		}
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv, nil
}

// rawRows is *sql.Rows over the driver's rows.
type rawRows struct {
	rows   driver.Rows
	dest   []driver.Value
	err    error
	closed bool
}

func (r *rawRows) Next() bool {
	if r.closed {
		return false
	}
	if err := r.rows.Next(r.dest); err != nil {
		if err != io.EOF {
			r.err = err
		}
		_ = r.Close()
		return false
	}
	return true
}

func (r *rawRows) Scan(dest ...any) error {
	if r.closed {
		return fmt.Errorf("sql: Rows are closed")
	}
	if len(dest) != len(r.dest) {
		return fmt.Errorf("sql: expected %d destination arguments in Scan, not %d", len(r.dest), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, r.dest[i]); err != nil {
			return fmt.Errorf("sql: Scan error on column index %d: %w", i, err)
		}
	}
	return nil
}

func (r *rawRows) Err() error { return r.err }

func (r *rawRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.rows.Close()
}

// rawRow is *sql.Row over rawRows.
type rawRow struct {
	rows rowsScanner
	err  error
}

func (r rawRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// assign stores a column's value (int64, float64, string, []byte or nil,
// as the driver gives them) in dest, a pointer to a string, integer, bool,
// []byte or any, named types included.
func assign(dest any, v driver.Value) error {
	switch d := dest.(type) {
	case *string:
		switch x := v.(type) {
		case string:
			*d = x
			return nil
		case []byte:
			*d = string(x)
			return nil
		}
	case *int64:
		if x, ok := v.(int64); ok {
			*d = x
			return nil
		}
	case *[]byte:
		switch x := v.(type) {
		case []byte:
			*d = append([]byte(nil), x...) // the driver may reuse its buffer
			return nil
		case string:
			*d = []byte(x)
			return nil
		case nil:
			*d = nil
			return nil
		}
	case *any:
		if b, ok := v.([]byte); ok {
			v = append([]byte(nil), b...)
		}
		*d = v
		return nil
	}
	return assignReflect(dest, v)
}

func assignReflect(dest any, v driver.Value) error {
	p := reflect.ValueOf(dest)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return fmt.Errorf("destination not a pointer")
	}
	e := p.Elem()
	switch x := v.(type) {
	case int64:
		switch e.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if e.OverflowInt(x) {
				return fmt.Errorf("converting driver.Value type int64 (%d) to a %s: value out of range", x, e.Kind())
			}
			e.SetInt(x)
			return nil
		case reflect.Bool:
			if x == 0 || x == 1 {
				e.SetBool(x == 1)
				return nil
			}
		}
	case string:
		if e.Kind() == reflect.String {
			e.SetString(x)
			return nil
		}
	case []byte:
		if e.Kind() == reflect.String {
			e.SetString(string(x))
			return nil
		}
	}
	return fmt.Errorf("unsupported Scan, storing driver.Value type %T into type %T", v, dest)
}
