//go:build unix

package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rustbelt/rustbelt/fail"
)

// fileLock is an advisory flock on a file beside the store. It is separate
// from the bolt file because loads replace that file by rename, and a lock on
// a replaced inode would guard nothing.
type fileLock struct{ f *os.File }

// acquireLock takes a shared or exclusive lock on path, polling until timeout,
// and names the processes that hold it when it cannot.
func acquireLock(ctx context.Context, path string, exclusive bool, timeout time.Duration) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil && !exclusive {
		f, err = os.Open(path) // a reader may lack write access to the folder
	}
	unwritable := errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) ||
		(!exclusive && errors.Is(err, fs.ErrNotExist))
	switch {
	case err != nil && unwritable && !exclusive:
		// A folder no one here can write to has no lock file to share, and
		// needs none: a writer could not create one either, and bolt's own
		// shared lock on the store file still keeps in-place writers out.
		return &fileLock{}, nil
	case err != nil && unwritable:
		return nil, &fail.Error{Code: fail.Forbidden, Msg: "cannot write to the store: its folder " + filepath.Dir(path) + " is read-only for this user", Err: err}
	case err != nil:
		return nil, &fail.Error{Code: fail.Invalid, Msg: "open lock file " + path, Err: err}
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return &fileLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, &fail.Error{Code: fail.Internal, Msg: "lock " + path, Err: err}
		}
		if time.Now().After(deadline) {
			holders := lockHolders(f)
			f.Close()
			msg := fmt.Sprintf("store is in use: %s is locked", strings.TrimSuffix(path, lockSuffix))
			if len(holders) > 0 {
				msg += " by " + strings.Join(holders, ", ")
			}
			if exclusive {
				msg += "; stop that process or wait for it to finish"
			} else {
				msg += " for writing; wait for it to finish"
			}
			return nil, &fail.Error{Code: fail.Locked, Msg: msg}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

func (l *fileLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor drops the flock
	l.f = nil
	return err
}

// lockHolders reads /proc/locks for the processes that hold a flock on f's
// inode, and names each with its command line. It returns nil where /proc is
// not there to ask.
func lockHolders(f *os.File) []string {
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return nil
	}
	defer locks.Close()
	var holders []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(locks)
	for sc.Scan() {
		// 1: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] != "FLOCK" {
			continue
		}
		if fields[1] == "->" {
			continue
		}
		id := strings.Split(fields[5], ":")
		if len(id) != 3 {
			continue
		}
		ino, err := strconv.ParseUint(id[2], 10, 64)
		if err != nil || ino != uint64(st.Ino) {
			continue
		}
		pid := fields[4]
		if pid == strconv.Itoa(os.Getpid()) || seen[pid] {
			continue
		}
		seen[pid] = true
		mode := "reading"
		if fields[3] == "WRITE" {
			mode = "writing"
		}
		holders = append(holders, fmt.Sprintf("pid %s (%s, %s)", pid, commandLine(pid), mode))
	}
	return holders
}

func commandLine(pid string) string {
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil || len(b) == 0 {
		return "unknown command"
	}
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
}
