package main

import (
	"fmt"
	"io"

	"github.com/custdesk/custdesk/platforms"
)

// prepare normalises a customer read from the command line and checks it for
// the chosen platforms, telling stderr what it rewrote so that what is sent
// is never a surprise.
func prepare(c platforms.Customer, chosen []platforms.Platform, stderr io.Writer) (platforms.Customer, []platforms.FieldError) {
	n, changes, errs := platforms.Prepare(c, chosen)
	for _, ch := range changes {
		if !ch.TrimOnly() {
			fmt.Fprintf(stderr, "custdesk: %s %q normalised to %q\n", ch.Field, ch.From, ch.To)
		}
	}
	return n, errs
}
