"""Running the pipeline: its phases, the run directory, the shard tasks and how far a run is.

Light on purpose: the command names FORK_SERVER_PRELOAD before it imports the pipeline."""

# what a local fork server imports once for all the workers it forks (prep/executors/workers.py)
FORK_SERVER_PRELOAD = ("prep.run.forkserver",)
