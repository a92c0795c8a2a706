package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rustbelt/rustbelt/fail"
)

// writeOutput writes what write produces to the file that -o names, the
// way a user expects of `> FILE` but without leaving half a file behind:
//
//   - a new file, or an existing regular file, is written beside itself
//     and renamed into place, so that a failed write leaves the old one as
//     it was; an existing file keeps its mode and, where the user may set
//     it, its owner;
//   - a symbolic link is followed, and the file it points to is replaced,
//     in that file's folder;
//   - a file with other hard links, or whose owner could not be kept, is
//     still built beside itself and then copied into the file itself, so
//     that every name of it sees the new content and it keeps its owner;
//   - anything else that is not a folder (a device such as /dev/null or
//     /dev/full, a named pipe) is written to directly and never replaced.
func writeOutput(path string, write func(io.Writer) error) error {
	target, err := followLinks(path)
	if err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "write " + path, Err: err}
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replaceFile(target, nil, write)
	case err != nil:
		return &fail.Error{Code: fail.Invalid, Msg: "write " + path, Err: unwrapPath(err)}
	case fi.IsDir():
		return fail.Errorf(fail.Invalid, "write %s: it is a folder; name a file", path)
	case !fi.Mode().IsRegular():
		return writeInPlace(target, write)
	}
	return replaceFile(target, fi, write)
}

// followLinks resolves path while it is a symbolic link, one link at a
// time so that a link to a file yet to be made resolves too (as a shell's
// > makes the file a dangling link points to).
func followLinks(path string) (string, error) {
	for range 40 { // the kernel's own limit
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", &fs.PathError{Op: "follow links", Path: path, Err: syscall.ELOOP}
}

// replaceFile builds the new content in a temporary file beside path and
// puts it in place: by rename where that keeps what the old file was (its
// mode, its owner, its only name), else by copying it into the old file.
// old is the existing file, or nil.
func replaceFile(path string, old fs.FileInfo, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if errors.Is(err, fs.ErrPermission) && old != nil {
		// A file this user may write in a folder they may not: as `>`
		// would, write into the file, the only way left.
		return writeInPlace(path, write)
	}
	if err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "write " + path, Err: unwrapPath(err)}
	}
	defer os.Remove(tmp.Name()) // after a rename, there is nothing left to remove
	inPlace, err := likeOld(tmp, old)
	if err == nil {
		err = writeBuffered(tmp, write)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return writeError(path, err)
	}
	if inPlace {
		return copyInto(path, tmp.Name())
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return writeError(path, err)
	}
	return nil
}

// likeOld gives a new file the mode of the one it replaces (0644 for a
// file that is new: CreateTemp makes it private) and its owner, and
// reports whether a rename would still lose something of the old file: its
// other hard links, or its owner when this user may not give it away.
func likeOld(f *os.File, old fs.FileInfo) (inPlace bool, err error) {
	if old == nil {
		return false, f.Chmod(0o644)
	}
	st, ok := old.Sys().(*syscall.Stat_t)
	if ok && st.Nlink > 1 {
		return true, nil
	}
	if ok && (int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid()) {
		// Before the mode: a change of owner clears set-id bits.
		if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
			return true, nil // not ours to give away: keep the old file's owner by writing into it
		}
	}
	return false, f.Chmod(old.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
}

// copyInto copies the finished file src into dst in place.
func copyInto(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return writeError(dst, err)
	}
	defer in.Close()
	return writeInPlace(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// writeInPlace writes into the file at path itself, truncating a regular
// file first; the kernel ignores the truncation for a device or a pipe.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "write " + path, Err: unwrapPath(err)}
	}
	err = writeBuffered(f, write)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return writeError(path, err)
	}
	return nil
}

// writeError says that writing path failed. An error of the file system
// loses its own path, which may be the temporary file's: path is the one
// the user named.
func writeError(path string, err error) error {
	return fmt.Errorf("write %s: %w", path, unwrapPath(err))
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe) && error(pe) == err:
		return pe.Err
	case errors.As(err, &le) && error(le) == err:
		return le.Err
	}
	return err
}

// writeBuffered runs write over a buffer on w, so that a dump's many small
// writes reach the file in large ones, and flushes it.
func writeBuffered(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
