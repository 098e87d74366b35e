package importer

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

// xlsxUnzipLimit bounds what a workbook may unzip to. A zip's parts are
// small on disk and may declare gigabytes (a zip bomb), which excelize would
// write out to temporary files; a gigabyte is some three million members.
// (archive/zip refuses a part that inflates past what it declares.) A
// variable so that a test can reach it with a small workbook.
var xlsxUnzipLimit int64 = 1 << 30

// maxXMLRow bounds one row of a sheet, or one shared string, as XML. A
// member's row is a few kilobytes; excelize decodes a row whole, twice (as
// stored and as shown), so a 300 KB file holding one 300 MB cell took 5 GB
// and two minutes before this check.
const maxXMLRow = 8 << 20

// checkWorkbook refuses, before excelize reads it, a workbook that would
// take more than a member list can need: parts that declare more than
// xlsxUnzipLimit unzipped, or a text or tag longer than MaxLine (Excel
// writes at most 32,767 characters to a cell), or a row or shared string
// longer than maxXMLRow. A file that is not a zip is left to excelize to
// explain.
func checkWorkbook(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		if total += f.UncompressedSize64; total > uint64(xlsxUnzipLimit) {
			return fmt.Errorf("the workbook unzips to more than %d MiB, more than a member list needs (a damaged or hostile file?); save the sheet as CSV and import that", xlsxUnzipLimit>>20)
		}
	}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasPrefix(name, "xl/worksheets/") && name != "xl/sharedstrings.xml" {
			continue
		}
		if err := scanPart(f); err != nil {
			return fmt.Errorf("%s: %w; not a workbook as Excel saves one (a damaged or hostile file?): save the sheet as CSV and import that", f.Name, err)
		}
	}
	return nil
}

// scanPart reads one part's XML as bytes, without decoding it, checking
// its longest text or tag and its longest row or shared string.
func scanPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var b xmlBounds
	buf := make([]byte, 64<<10)
	for {
		n, err := rc.Read(buf)
		if err := b.scan(buf[:n]); err != nil {
			return err
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// xmlBounds follows a part's XML byte by byte: where the last '<' or '>'
// was (a text or a tag runs between two), where the last row (<row …>) or
// shared string (<si>) began, and the first bytes of the tag being read,
// to tell one.
type xmlBounds struct {
	at, mark, record int64
	head             [5]byte // "<row" or "<si" and one more: a longer name is neither
	headLen          int
}

// opensRecord: the tag begun is a row's or a shared string's, and its name
// ends at c (a space, '>' or '/').
func (b *xmlBounds) opensRecord(c byte) bool {
	if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '>' && c != '/' {
		return false
	}
	switch b.headLen {
	case 4:
		return [4]byte(b.head[:4]) == [4]byte{'<', 'r', 'o', 'w'}
	case 3:
		return b.head[1] == 's' && b.head[2] == 'i'
	}
	return false
}

func (b *xmlBounds) scan(p []byte) error {
	for i, c := range p {
		pos := b.at + int64(i)
		if b.headLen > 0 && b.opensRecord(c) {
			b.record = pos
		}
		switch {
		case c == '<':
			b.mark, b.head[0], b.headLen = pos, c, 1
		case c == '>':
			b.mark, b.headLen = pos, 0
		case b.headLen > 0 && b.headLen < len(b.head):
			b.head[b.headLen] = c
			b.headLen++
		}
		if pos-b.mark > MaxLine {
			return fmt.Errorf("a text or tag longer than %d bytes goes past byte %d", MaxLine, pos)
		}
		if b.record > 0 && pos-b.record > maxXMLRow {
			return fmt.Errorf("a row or shared string longer than %d MiB goes past byte %d", maxXMLRow>>20, pos)
		}
	}
	b.at += int64(len(p))
	return nil
}
