"""Worker processes: a warm pool for one caller, each worker under a memory ceiling.

Generic: it knows nothing of leaflets. It is the only place that starts or stops a process,
our own workers and other programs (`programs`) alike.
"""

from leaflets.workers.pool import Pool, Start, TaskError
from leaflets.workers.private import private_folder, sweep_private_folders

__all__ = ["Pool", "Start", "TaskError", "private_folder", "sweep_private_folders"]
