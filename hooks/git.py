"""Running git on a repository that may be hostile: the files it tracks, and a file as `HEAD` has it.

git reads the checked repository's own config, which a pull request or a cloned fixture can
change: every setting that runs a command is switched off on the command line (which outranks
the repository's config), the user's and the system's config are not read at all, and only a
`.git` directory at the current directory (the repository root) is used: a worktree's or
submodule's `.git` file may point anywhere. Every call has a timeout and a bounded output; any
failure (git missing, not a repository, no `HEAD`) is None, never an error.
"""

from __future__ import annotations

import os
import select
import time

SAFE_CONFIG = (
    "core.fsmonitor=false", "core.untrackedCache=false", "core.hooksPath=/dev/null", "core.sshCommand=false",
    "core.askPass=false", "core.pager=cat", "core.editor=false", "core.excludesFile=/dev/null", "core.alternateRefsCommand=",
    "diff.external=", "uploadpack.packObjectsHook=", "credential.helper=", "protocol.allow=never", "gpg.program=false",
)  # fmt: skip
ENVIRONMENT = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
TIMEOUT = 30

# What `blob_at_head` reads at most: lockguard's budget for a TOML lock (reading.MAX_TOML_LOCK_CHARACTERS).
MAX_BLOB_BYTES = 4 * 1024 * 1024


def _command(*arguments: str) -> list[str] | None:
    """The git command line for `arguments`, or None when the current directory holds no `.git` directory."""
    if not os.path.isdir(".git"):
        return None
    command = ["git", "--git-dir=.git", "--no-pager"]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    return [*command, *arguments]


def _environment() -> dict[str, str]:
    # GIT_DIR, GIT_INDEX_FILE, GIT_EXTERNAL_DIFF and the like from the caller's environment are dropped.
    kept = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return {**kept, **ENVIRONMENT}


def files() -> list[str] | None:
    """Tracked and untracked-but-not-ignored files of the repository at the current directory,
    or None outside git (or when git cannot tell)."""
    import subprocess  # here only: the hooks read a blob without it (`_spawn`), which starts quicker

    command = _command("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if command is None:
        return None
    try:
        result = subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT, env=_environment(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    names = os.fsdecode(result.stdout).split("\0")
    return [os.path.normpath(name) for name in names if name and os.path.lexists(name)]  # deleted but still in the index


def blob_at_head(path: str, prefix: int | None = None) -> bytes | None:
    """The bytes of `path` (relative to the current directory, the repository root) as `HEAD`
    records it, or its first `prefix` bytes; None: no repository, no `HEAD` (a fresh
    repository), not in `HEAD`, not a file there, over MAX_BLOB_BYTES, or git missing.

    `cat-file --batch` prints the object as stored: no textconv, no filter or diff driver, no
    pager runs. The path is one line of the request, so it must hold no newline, and must stay
    below the root (`HEAD:./path` is read relative to the current directory)."""
    normal = os.path.normpath(path)
    if os.path.isabs(normal) or normal.split(os.sep, 1)[0] == os.pardir or "\n" in normal or "\r" in normal:
        return None
    command = _command("cat-file", "--batch")
    if command is None:
        return None
    request = f"HEAD:./{normal.replace(os.sep, '/')}\n".encode()
    try:
        process, answers = _spawn(command)
    except OSError:  # git missing, or no process to be had
        return None
    try:
        try:
            os.write(process.request, request)  # a line, far below a pipe's buffer: never blocks
        finally:
            os.close(process.request)
        return _read_blob(answers, prefix)
    except OSError:
        return None
    finally:
        os.close(answers)
        process.end()


class _Process:
    """A started git: the pipe its requests go to, and how to end it."""

    def __init__(self, pid: int, request: int) -> None:
        self.pid, self.request = pid, request

    def end(self) -> None:
        """Reap git: it ends by itself once its requests are closed; one that does not within a
        second (it hangs, or was still writing) is killed."""
        deadline = time.monotonic() + 1
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                import signal

                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                return
            time.sleep(0.001)


def _spawn(command: list[str]) -> tuple[_Process, int]:
    """Start `command` with a pipe for its standard input and one for its output (errors to the
    null device), as `subprocess` would but without importing it: os.posix_spawn. Both our
    ends are closed to the child (Python's pipes are not inheritable). Where there is no
    posix_spawn (Windows), `OSError`: no blob is read there."""
    if not hasattr(os, "posix_spawnp"):
        raise OSError("no posix_spawn on this system")
    request_read, request_write = os.pipe()
    answer_read, answer_write = os.pipe()
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, request_read, 0), (os.POSIX_SPAWN_DUP2, answer_write, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
        pid = os.posix_spawnp(command[0], command, _environment(), file_actions=actions)
    except BaseException:
        os.close(request_write)
        os.close(answer_read)
        raise
    finally:
        for end in (request_read, answer_write, null):
            os.close(end)
    return _Process(pid, request_write), answer_read


def _read_blob(answers: int, prefix: int | None) -> bytes | None:
    """The answer to one `cat-file --batch` request: `<oid> blob <size>` and the bytes, or
    `<name> missing`. Read against a deadline: a git that hangs is killed after."""
    poller = select.poll()
    poller.register(answers, select.POLLIN)
    deadline = time.monotonic() + TIMEOUT
    answer = bytearray()
    size: int | None = None
    while size is None or len(answer) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            return None
        chunk = os.read(answers, 1 << 16)
        if not chunk:
            return None
        answer += chunk
        if size is None:
            end = answer.find(b"\n")
            if end == -1:
                if len(answer) > 1024:
                    return None  # no header is that long
                continue
            fields = bytes(answer[:end]).split()
            if len(fields) != 3 or fields[1] != b"blob" or not fields[2].isdigit() or int(fields[2]) > MAX_BLOB_BYTES:
                return None  # missing, not a file, or over the budget
            size = int(fields[2]) if prefix is None else min(int(fields[2]), prefix)
            del answer[: end + 1]
    return bytes(answer[:size])
