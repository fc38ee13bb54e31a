from policyc import command

raise SystemExit(command())
