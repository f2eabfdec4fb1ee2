"""A private CUPS scheduler for the print tests, with cups-pdf virtual printers.

It runs from a temporary folder and listens only on a Unix socket there, so it neither needs nor
disturbs a system CUPS. Clients reach it through the CUPS_SERVER environment variable.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.config.defaults import PROJECT_ROOT

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
START_SECONDS = 30
COMMAND_SECONDS = 30

# The smallest configuration that every cupsd 2.4 accepts: each directive has a value, none is
# deprecated, and every path points inside the private folder so the system's CUPS is untouched.
CUPSD_CONF = """\
LogLevel debug
Listen {socket}
Browsing No
WebInterface No
DefaultAuthType None
JobRetryLimit 0
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
"""

CUPS_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
Printcap {root}/etc/printcap
SystemGroup root
"""

# cupsd names a refused directive as "... on line N of /path/file.conf".
REFUSED_LINE = re.compile(r"line (\d+) of (\S+?\.conf)")


def ensure_installed() -> None:
    """Install CUPS and cups-pdf through the project's own script when they are missing."""
    if all(path.exists() for path in (CUPSD, CUPS_PDF_BACKEND, CUPS_PDF_PPD)):
        return
    subprocess.run(
        ["bash", str(PROJECT_ROOT / ".ci" / "system-deps.sh"), "test"], check=True, timeout=900
    )


@dataclass
class CupsServer:
    """A running private cupsd and the environment that points clients at it."""

    root: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def socket(self) -> Path:
        return self.root / "cups.sock"

    @property
    def error_log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> None:
        """Write the configuration, start cupsd in the foreground, and wait until it answers."""
        for name in ("etc", "spool", "cache", "state", "log", "tmp"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        # Filters run as the unprivileged lp user: they must reach the spool and the temp folder.
        os.chmod(self.root, 0o755)
        os.chmod(self.root / "tmp", 0o1777)
        (self.root / "etc" / "cupsd.conf").write_text(CUPSD_CONF.format(socket=self.socket))
        (self.root / "etc" / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=self.root))
        self.env = {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}
        self._test_configuration()
        self.process = subprocess.Popen(
            [str(CUPSD), "-f", *self._config_arguments()],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "log" / "cupsd.out").open("wb"),
        )
        self._wait_until_running()

    def _config_arguments(self) -> list[str]:
        etc = self.root / "etc"
        return ["-c", str(etc / "cupsd.conf"), "-s", str(etc / "cups-files.conf")]

    def _test_configuration(self) -> None:
        """Let cupsd check the configuration first, so that a refusal names its line."""
        checked = subprocess.run(
            [str(CUPSD), "-t", *self._config_arguments()],
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        output = checked.stdout + checked.stderr
        if checked.returncode != 0 or REFUSED_LINE.search(output):
            raise RuntimeError(refusal_message(output))

    def _wait_until_running(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                output = (self.root / "log" / "cupsd.out").read_text(errors="replace")
                raise RuntimeError(refusal_message(output + self.error_log))
            if self.run("lpstat", "-r").stdout.strip() == "scheduler is running":
                return
            time.sleep(0.2)
        raise RuntimeError(f"cupsd did not answer within {START_SECONDS} s: {self.error_log}")

    def run(self, *command: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        """A CUPS client command against this server."""
        return subprocess.run(
            command,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=check,
        )

    def add_pdf_printer(self, name: str) -> None:
        """A cups-pdf queue, enabled and accepting jobs."""
        self.run(
            "lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD), check=True
        )

    def stop(self) -> None:
        """Stop cupsd and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        shutil.rmtree(self.root, ignore_errors=True)

    def wait_for_job(self, job: str, timeout: float = 90) -> None:
        """Wait until the job has left the queue, and fail if it did not complete."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if job not in self.run("lpstat", "-o").stdout:
                break
            time.sleep(0.3)
        else:
            raise AssertionError(f"job {job} still queued after {timeout:g} s:\n{self.error_log}")
        completed = self.run("lpstat", "-W", "completed", "-o").stdout
        assert job in completed, f"job {job} did not complete:\n{self.error_log}"

    def job_log(self, job: str) -> str:
        """The scheduler's debug log lines of one job."""
        number = job.rsplit("-", 1)[1]
        return "\n".join(line for line in self.error_log.splitlines() if f"[Job {number}]" in line)


def refusal_message(output: str) -> str:
    """What cupsd said, led by the configuration line it refused when it names one."""
    found = REFUSED_LINE.search(output)
    if found is None:
        return f"cupsd refused to start: {output.strip()}"
    number, path = int(found.group(1)), Path(found.group(2))
    lines = path.read_text().splitlines() if path.exists() else []
    line = lines[number - 1] if 0 < number <= len(lines) else "?"
    return f"cupsd refused line {number} of {path.name}: {line!r}\n{output.strip()}"


def start_server() -> CupsServer:
    """A new private scheduler in a fresh folder under /tmp."""
    ensure_installed()
    # Not under pytest's tmp_path: that folder is private to root, and CUPS filters run as lp.
    server = CupsServer(Path(tempfile.mkdtemp(prefix="leaflets-cups-")))
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


def cups_pdf_folder(user: str) -> Path:
    """Where cups-pdf writes a user's PDFs, as /etc/cups/cups-pdf.conf says."""
    folder = "/var/spool/cups-pdf/${USER}"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text().splitlines():
            if re.match(r"^\s*Out\s+", line):
                folder = line.split(None, 1)[1].strip()
    home = pwd.getpwnam(user).pw_dir
    return Path(folder.replace("${HOME}", home).replace("${USER}", user))


def wait_for_pdf(
    folder: Path, token: str, exclude: Path | None = None, timeout: float = 60
) -> Path:
    """The PDF cups-pdf wrote for the job titled with `token`, once it is complete."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"*{token}*.pdf")) if folder.is_dir() else []
        found = [path for path in found if path != exclude]
        if found and found[0].read_bytes().rstrip().endswith(b"%%EOF"):
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no PDF named *{token}* appeared in {folder} within {timeout:g} s")
