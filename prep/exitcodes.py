"""prep's exit codes and the status word of each: the firm contract of the command line."""

OK, FAILED, USAGE, GATE = 0, 1, 2, 3
INTERRUPTED, TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as a shell reports a process a signal ended
STATUS = {OK: "ok", FAILED: "failed", USAGE: "usage_error", GATE: "gate_failed", INTERRUPTED: "interrupted",
          TERMINATED: "interrupted"}
