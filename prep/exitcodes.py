"""prep's exit codes and the status word of each: the firm contract of the command line."""

OK, FAILED, USAGE, GATE = 0, 1, 2, 3
STATUS = {OK: "ok", FAILED: "failed", USAGE: "usage_error", GATE: "gate_failed"}
