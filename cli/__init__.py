"""policyc: a policy-as-code language for municipal policy documents.

Stages: `policyc.grammar` (the Lark grammar) → `policyc.compiler` (parser, checker, code and docs
generators) → `policyc.runtime` (value types and the helpers generated code may call). This
package holds the command line and the case files.
"""

__version__ = "0.1.0"


def command() -> int:
    """`policyc` as a program, the console script and `python -m policyc`: `policyc.cli.main` in
    a process that ends when it returns (tests and hosts call `main` itself, which leaves the
    garbage collector as it finds it). Returns the exit status.

    The cyclic garbage collector is off while the program starts (issue 16): the modules and the
    cached policy it loads live until the process ends, so each collection among them (some 24
    on a warm `run`, and the interpreter's last one at exit) traverses them and frees nothing.
    `main` turns it back on for every command but a `run` of one case, whose work is bounded by
    that case (compiling a policy the cache does not hold runs with it on:
    `pipeline.compile_policy`); when such a run ends, what it made is frozen (`gc.freeze`) so
    that the interpreter's collection at exit skips it."""
    import gc

    gc.disable()
    try:
        from policyc.cli import main

        return main(program=True)
    finally:
        if not gc.isenabled():
            gc.freeze()
