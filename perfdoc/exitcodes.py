"""The one place that defines perfdoc's exit codes."""

OK = 0  # nothing found / done
FAULTS = 1  # faults found (check), differences found (diff), projects refused (build)
USAGE = 2  # unusable input or wrong usage
