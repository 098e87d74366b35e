//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// The disk-full test runs custdesk in a child process (this test binary,
// re-executed) whose files may not grow past a size: RLIMIT_FSIZE makes every
// write beyond it fail with EFBIG, as a full disk fails with ENOSPC, through
// the real SQLite file and the real driver.
const (
	envFSize = "CUSTDESK_TEST_FSIZE"
	envArgs  = "CUSTDESK_TEST_ARGS"
)

func init() {
	limit := os.Getenv(envFSize)
	if limit == "" {
		return
	}
	n, err := strconv.ParseUint(limit, 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "file size limit:", err)
		os.Exit(99)
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(envArgs)), &args); err != nil {
		os.Exit(99)
	}
	os.Exit(run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr))
}

// runLimited runs custdesk with its files capped at limit bytes.
func runLimited(t *testing.T, limit int, stdin string, args ...string) result {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(args)
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), envFSize+"="+strconv.Itoa(limit), envArgs+"="+string(a))
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code == 99 {
		t.Fatalf("the child could not start: %s", errb.String())
	}
	return result{code, out.String(), errb.String()}
}

// The write-ahead fits on the disk, the platform creates the customer, and
// its answer (900 KB) does not fit: submit must not report success. It exits
// 1, prints the platform's customer ID, says the answer is not in the
// history, and marks it "recorded": false in JSON. The history, read
// afterwards, does not claim an ok it never recorded.
func TestSubmitWhenTheAnswerCannotBeRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	pad := strings.Repeat("p", 900<<10)
	h.serve(func(p string, w http.ResponseWriter, r *http.Request, _ []byte) {
		io.WriteString(w, `{"success":true,"code":200,"data":{"outOpenId":"YZ-7731"},"padding":"`+pad+`"}`)
	})
	const limit = 512 << 10
	for _, output := range []string{"text", "json"} {
		dataDir := t.TempDir()
		r := runLimited(t, limit, wang, "submit", "--config", cfg, "--data-dir", dataDir, "--platform", "youzan", "--output", output)
		if r.code != exitNotOK {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", output, r.code, exitNotOK, r.stdout, r.stderr)
		}
		var subID int64
		if output == "json" {
			var out []exchangeJSON
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 1 {
				t.Fatalf("not JSON: %v\n%s", err, r.stdout)
			}
			ex := out[0]
			if ex.Recorded || ex.Unrecorded == "" || ex.Result.Outcome != platforms.OK || strings.Join(ex.Result.CustomerIDs, ",") != "YZ-7731" {
				t.Errorf("json: %+v", ex.Result)
			}
			subID = ex.SubmissionID
		} else {
			if !containsFields(r.stdout, "youzan", "ok", "id", "YZ-7731") || !strings.Contains(r.stdout, "NOT in the history") {
				t.Errorf("text output:\n%s", r.stdout)
			}
			if strings.Contains(r.stdout, "recorded; custdesk history shows it") {
				t.Errorf("text output claims the answer was recorded:\n%s", r.stdout)
			}
			if _, err := fmt.Sscanf(r.stdout[strings.Index(r.stdout, "submission "):], "submission %d", &subID); err != nil {
				t.Fatalf("no submission number in:\n%s", r.stdout)
			}
		}
		st, err := store.Open(dataDir)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := st.Get(context.Background(), subID)
		if err != nil {
			t.Fatalf("the write-ahead is not in the history: %v", err)
		}
		if s := sub.States["youzan"]; s.Outcome == platforms.OK {
			t.Errorf("%s: the history claims ok: %+v", output, s)
		}
		st.Close()
	}
}
