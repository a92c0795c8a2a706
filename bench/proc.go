package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// usage is what one process cost.
type usage struct {
	wall     time.Duration
	cpu      time.Duration // user and system time: steadier than wall time on a busy machine
	peakRSS  int64         // bytes: the kernel's high-water mark of resident memory
	peakAnon int64         // bytes: the highest resident heap seen (file pages left out)
	stdout   string
}

// run runs a command to the end and measures it. Peak RSS is the kernel's
// (getrusage, as /usr/bin/time -v reports it); it counts the pages of the
// store file a process has read through its memory map, so the anonymous
// (heap) part is sampled from /proc as well.
func run(ctx context.Context, env []string, name string, args ...string) (usage, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return usage{}, err
	}
	done := make(chan struct{})
	anon := make(chan int64, 1)
	go func() { anon <- sampleAnon(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	u := usage{wall: time.Since(start), stdout: out.String()}
	close(done)
	u.peakAnon = <-anon
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.peakRSS = ru.Maxrss * 1024
	}
	u.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if err != nil {
		return u, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(errOut.String()))
	}
	return u, nil
}

// sampleAnon polls /proc/PID/status every 20ms until done and returns the
// highest RssAnon seen.
func sampleAnon(pid int, done <-chan struct{}) int64 {
	var peak int64
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if kb := statusField(pid, "RssAnon:"); kb*1024 > peak {
			peak = kb * 1024
		}
		select {
		case <-done:
			return peak
		case <-t.C:
		}
	}
}

func statusField(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// tail is the last lines of a command's error output, for messages.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n")
}

// server is a long-running process the benchmark talks to over HTTP.
type server struct {
	cmd  *exec.Cmd
	base string
	logs bytes.Buffer
}

// startServer starts a server process and waits until path answers 200.
func startServer(ctx context.Context, base, path string, name string, args ...string) (*server, error) {
	s := &server{base: base}
	s.cmd = exec.CommandContext(ctx, name, args...)
	s.cmd.Stdout, s.cmd.Stderr = &s.logs, &s.logs
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if code, _, err := get(base + path); err == nil && code == 200 {
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("%s did not answer on %s: %s", name, base, tail(s.logs.String()))
}

// stop ends the server with SIGTERM and waits for it.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}
