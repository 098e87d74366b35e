package nxlink

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/custdesk/custdesk/platforms"
)

// Reading the answer from its bytes spares the copies and maps of decoding
// it twice (the envelope, then its data). What is read must be what
// DecodeJSON into Response and BatchResult makes of it, so the reading gives
// up wherever the decoder's rules reach further than it reads: invalid
// JSON, a key twice, a key the decoder would match by case folding or
// unescaping, and a value of another type than the field's (whose error
// the decoder words).

// readAnswer is the answer as DecodeJSON would decode it into Response, and
// its data as BatchResult when the data was read too (nil: decode it).
func readAnswer(body []byte) (resp Response, batch *BatchResult, ok bool) {
	if !json.Valid(body) {
		return Response{}, nil, false
	}
	var v [4][]byte
	if !readObject(bytes.TrimSpace(body), responseFields, v[:]) ||
		!readNumber(v[0], &resp.Code) || !readString(v[2], &resp.TraceID) {
		return Response{}, nil, false
	}
	if msg := v[1]; msg != nil && !isNull(msg) {
		s := new(string)
		if !readString(msg, s) {
			return Response{}, nil, false
		}
		resp.Message = s
	}
	resp.Data = v[3]
	if canonicalCode(resp.Code) != CodeOK || resp.Data == nil || noData(resp.Data) {
		return resp, nil, true
	}
	var d BatchResult
	if readBatch(resp.Data, &d) {
		batch = &d
	}
	return resp, batch, true
}

// The fields of Response, BatchResult, FailItem and SuccessItem, by their
// JSON names.
var (
	responseFields    = []string{"code", "message", "traceId", "data"}
	batchFields       = []string{"totalCount", "successCount", "failCount", "failItems", "successItems"}
	failItemFields    = []string{"index", "errorCode", "errorMessage"}
	successItemFields = []string{"index", "customerId", "whatsAppPhone"}
)

func readBatch(raw []byte, d *BatchResult) bool {
	var v [5][]byte
	return readObject(raw, batchFields, v[:]) &&
		readNumber(v[0], &d.TotalCount) && readNumber(v[1], &d.SuccessCount) && readNumber(v[2], &d.FailCount) &&
		readItems(v[3], &d.FailItems, readFailItem) && readItems(v[4], &d.SuccessItems, readSuccessItem)
}

func readFailItem(raw []byte, it *FailItem) bool {
	var v [3][]byte
	return readObject(raw, failItemFields, v[:]) &&
		readInt(v[0], &it.Index) && readNumber(v[1], &it.ErrorCode) && readString(v[2], &it.ErrorMessage)
}

func readSuccessItem(raw []byte, it *SuccessItem) bool {
	var v [3][]byte
	return readObject(raw, successItemFields, v[:]) &&
		readInt(v[0], &it.Index) && readNumber(v[1], &it.CustomerID) && readString(v[2], &it.WhatsAppPhone)
}

// readItems reads an array of objects; null or absent is none.
func readItems[T any](raw []byte, out *[]T, read func([]byte, *T) bool) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	items, all := []T{}, true
	ok := platforms.ArrayElements(raw, func(v []byte) {
		var it T
		all = all && read(v, &it)
		items = append(items, it)
	})
	*out = items
	return ok && all
}

// readObject sets vals[i] to the value of the member of the object raw
// whose key is exactly fields[i]. It gives up where a struct decoder reads
// more: a key twice, or one it matches to a field by folding its case
// (bytes.EqualFold, which is the decoder's rule).
func readObject(raw []byte, fields []string, vals [][]byte) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	ok := true
	read := platforms.ObjectMembers(raw, func(k, v []byte) {
		for i, f := range fields {
			if string(k) == f {
				ok = ok && vals[i] == nil
				vals[i] = v
				return
			}
			if bytes.EqualFold(k, []byte(f)) {
				ok = false
			}
		}
	})
	return read && ok
}

// readNumber reads a json.Number field: a number's text, or nothing for
// null or absent.
func readNumber(raw []byte, n *json.Number) bool {
	switch {
	case raw == nil || isNull(raw):
		return true
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		*n = json.Number(raw)
		return true
	}
	return false
}

// readInt reads an int field as the decoder does: an integer in range.
func readInt(raw []byte, n *int) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	v, err := strconv.ParseInt(string(raw), 10, strconv.IntSize)
	*n = int(v)
	return err == nil
}

// readString reads a string field; null or absent leaves it empty.
func readString(raw []byte, s *string) bool {
	switch {
	case raw == nil || isNull(raw):
		return true
	case raw[0] == '"':
		v, err := platforms.JSONString(raw)
		*s = v
		return err == nil
	}
	return false
}

func isNull(raw []byte) bool { return string(raw) == "null" }
