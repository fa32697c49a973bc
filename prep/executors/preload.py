"""The first module a local fork server imports (see executors/workers.py): it ties the server's
life to the run's driver, which started it. A run refused or ended while the server still
imports the run's own preload modules must not leave it behind (holding the run's stdout and
stderr open, so that whoever reads them to the end waits for it). It also leaves Ctrl-C to the
driver from here on: multiprocessing protects the server from SIGINT only once it has imported
its preload modules, and the workers it forks keep the handler it had before.
"""

import os

from prep.executors.workers import DRIVER_PID
from prep.processes.lifetime import die_with_parent
from prep.processes.stopping import ignore_interrupts

ignore_interrupts()
die_with_parent(int(os.environ.get(DRIVER_PID, os.getppid())))  # exits if the driver has ended already
SERVER_PID = os.getpid()  # what the workers forked from here check their parent against
