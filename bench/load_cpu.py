"""CPU seconds spent by each side of bench/load.py: the servers' process trees (read from /proc),
the PostgreSQL backends serving the bench's database, and this client process. On a machine
shared with other work, CPU per request holds still where rates and latencies do not."""
import os
import resource

import sqlalchemy as sa

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(int(name))):
            parents.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _is_scheduler(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"scheduler" in f.read()  # `broker scheduler` and the shell running it
    except OSError:
        return False


def cpu_seconds(pids) -> float:
    """User and system CPU of these processes (those that still run)."""
    total = 0
    for pid in pids:
        if fields := _stat(pid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


class CpuMeter:
    """Snapshots of CPU used so far by the servers, the database's backends and this client."""

    def __init__(self, servers: dict, database_url: str):
        self.servers = servers  # name -> root pid
        url = sa.engine.make_url(database_url)
        self.database = url.database
        self.engine = sa.create_engine(url.set(database="postgres")) \
            if url.get_backend_name() == "postgresql" else None

    def _backends(self) -> list[int]:
        if self.engine is None:
            return []
        with self.engine.connect() as conn:
            return list(conn.scalars(sa.text("select pid from pg_stat_activity where datname = :d"),
                                     {"d": self.database}))

    def snapshot(self) -> dict:
        own = resource.getrusage(resource.RUSAGE_SELF)
        shot = {name: cpu_seconds(descendants(pid)) for name, pid in self.servers.items()}
        scheduler = [pid for pid in descendants(self.servers["serve"]) if _is_scheduler(pid)]
        shot["scheduler"] = cpu_seconds(scheduler)
        shot["serve"] -= shot["scheduler"]  # the web workers (and their arbiter) alone
        shot["postgres"] = cpu_seconds(self._backends())
        shot["client"] = own.ru_utime + own.ru_stime
        return shot

    @staticmethod
    def per_request(before: dict, after: dict, requests: int) -> dict:
        """CPU milliseconds per request on each side between two snapshots."""
        return {name: round((after[name] - before[name]) * 1000 / max(requests, 1), 2)
                for name in after}

    def close(self):
        if self.engine is not None:
            self.engine.dispose()
