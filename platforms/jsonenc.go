package platforms

import (
	"bytes"
	"encoding/json"
	"sync"
)

// jsonBuffer is an encoder bound to its buffer. A bytes.Buffer never fails a
// write, so the encoder never keeps an error from one use to the next.
type jsonBuffer struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// Request bodies are encoded on every send: the buffers are reused rather
// than grown anew each time.
var jsonBuffers = sync.Pool{New: func() any {
	b := new(jsonBuffer)
	b.enc = json.NewEncoder(&b.buf)
	b.enc.SetEscapeHTML(false)
	return b
}}

// maxPooledJSON keeps one huge body from pinning its buffer in the pool.
const maxPooledJSON = 64 << 10

// EncodeJSON hands use the JSON of v as json.Encoder writes it without HTML
// escaping ("<" and "&" stay as typed), and without its trailing newline.
// The bytes are valid only during use.
func EncodeJSON(v any, use func([]byte)) error {
	b := jsonBuffers.Get().(*jsonBuffer)
	defer func() {
		if b.buf.Cap() <= maxPooledJSON {
			b.buf.Reset()
			jsonBuffers.Put(b)
		}
	}()
	if err := b.enc.Encode(v); err != nil {
		return err
	}
	use(bytes.TrimSuffix(b.buf.Bytes(), []byte("\n")))
	return nil
}

// MarshalJSON is EncodeJSON's bytes, kept.
func MarshalJSON(v any) ([]byte, error) {
	var out []byte
	err := EncodeJSON(v, func(b []byte) { out = bytes.Clone(b) })
	return out, err
}
